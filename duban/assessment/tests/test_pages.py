"""督办与问责 pages: the permission matrix, the decide form, the escalations and the item page."""

from __future__ import annotations

from django.urls import reverse

from duban.assessment.escalation import escalate
from duban.assessment.models import Escalation, Proposal, ProposalState
from duban.assessment.tests.base import D
from duban.assessment.tests.test_proposals import ProposalTestCase

LIST = reverse("assessment:proposals")
ESCALATIONS = reverse("assessment:escalations")


class PagesTest(ProposalTestCase):
    def setUp(self) -> None:
        self.open_one, self.decided = self.late(2)
        self.accept(self.decided, D(2025, 10, 22))
        self.decided.refresh_from_db()

    def url(self, proposal: Proposal) -> str:
        return reverse("assessment:proposal", args=[proposal.pk])

    def post(self, user: object, proposal: Proposal, **data: object) -> int:
        form = {"decision": "accept", "reason": "属实", "version": proposal.version, **data}
        return self.client_for(user).post(self.url(proposal), form).status_code  # type: ignore[arg-type]

    def test_permission_matrix(self) -> None:
        # person: (rows on the list, open proposal page, decided proposal page, may decide)
        matrix = {
            "office": (2, 200, 200, 403),
            "office_head": (2, 200, 200, 302),
            "leader": (2, 200, 200, 302),
            "lead_liaison": (1, 404, 200, 404),
            "sibling_liaison": (0, 404, 404, 404),
            "auditor": (1, 404, 200, 404),
        }
        for name, (rows, open_page, decided_page, decide) in matrix.items():
            with self.subTest(person=name):
                user = self.refreshed(getattr(self, name))
                client = self.client_for(user)
                response = client.get(LIST)
                self.assertEqual(response.status_code, 200)
                self.assertEqual(len(response.context["page"].object_list), rows)
                self.assertEqual(client.get(self.url(self.open_one)).status_code, open_page)
                self.assertEqual(client.get(self.url(self.decided)).status_code, decided_page)
                fresh = Proposal.objects.get(pk=self.open_one.pk)
                self.assertEqual(self.post(user, fresh), decide)
                if decide == 302:
                    Proposal.objects.filter(pk=fresh.pk).update(
                        state=ProposalState.PROPOSED, version=fresh.version + 5
                    )
        anonymous = self.client_for(None)
        for url in (LIST, self.url(self.decided), ESCALATIONS):
            self.assertEqual(anonymous.get(url).status_code, 302)

    def test_decide_form_reason_required_and_stale_version(self) -> None:
        head = self.refreshed(self.office_head)
        self.assertEqual(self.post(head, self.open_one, reason=""), 400)
        response = self.client_for(head).post(
            self.url(self.open_one), {"decision": "reject", "reason": "x", "version": 99}
        )
        self.assertEqual(response.status_code, 409)
        self.assertContains(response, "已被他人处理", status_code=409)
        self.assertEqual(Proposal.objects.get(pk=self.open_one.pk).state, "proposed")
        self.assertEqual(
            self.post(head, self.open_one, decision="change", measure="admonition"), 302
        )
        self.assertEqual(Proposal.objects.get(pk=self.open_one.pk).decided_measure, "admonition")

    def test_list_filters_and_yearly_counts(self) -> None:
        client = self.client_for(self.refreshed(self.office))
        response = client.get(
            LIST, {"state": "accepted", "year": "2025", "unit": str(self.lead.pk)}
        )
        self.assertEqual(list(response.context["page"].object_list), [self.decided])
        counts = response.context["counts"]
        self.assertEqual(
            [(c["year"], c["unit_id"], c["n"]) for c in counts], [(2025, self.lead.pk, 1)]
        )
        self.assertContains(response, "各单位年度问责统计")
        self.assertEqual(len(client.get(LIST, {"measure": "admonition"}).context["page"]), 0)

    def test_escalations_list_item_page_and_apply(self) -> None:
        escalate(D(2025, 10, 20))
        item = self.open_one.item
        assert item is not None
        detail = reverse("items:detail", args=[item.pk])
        office = self.client_for(self.refreshed(self.office))
        response = office.get(detail)
        self.assertContains(response, 'id="item-escalations"')
        self.assertContains(response, "督办(督办通知)")
        self.assertEqual(
            self.client_for(self.refreshed(self.sibling_liaison)).get(detail).status_code, 404
        )
        page = office.get(ESCALATIONS)
        self.assertEqual(page.status_code, 200)
        rows = list(page.context["page"].object_list)
        self.assertEqual(len(rows), 4)  # 催办 and 督办 on each of the two items
        remind = next(e for e in rows if e.measure == "remind")
        supervise = next(e for e in rows if e.measure == "supervise")
        self.assertTrue(remind.may_decide)
        self.assertFalse(supervise.may_decide)  # 督办 is the office head's
        url = reverse("assessment:escalation_decide", args=[remind.pk])
        office.post(url, {"decision": "apply", "reason": "已电话催办", "version": remind.version})
        self.assertEqual(Escalation.objects.get(pk=remind.pk).state, "applied")
        denied = reverse("assessment:escalation_decide", args=[supervise.pk])
        response = office.post(denied, {"decision": "apply", "reason": "x", "version": 1})
        self.assertEqual(response.status_code, 403)
        liaison = self.client_for(self.refreshed(self.lead_liaison))
        self.assertEqual(len(liaison.get(ESCALATIONS).context["page"].object_list), 4)
        self.assertEqual(
            len(
                self.client_for(self.refreshed(self.sibling_liaison))
                .get(ESCALATIONS)
                .context["page"]
                .object_list
            ),
            0,
        )

    def test_nav_link(self) -> None:
        response = self.client_for(self.refreshed(self.office)).get(LIST)
        self.assertContains(response, f'href="{LIST}"')
