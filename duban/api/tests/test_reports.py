"""Reports through the API: who sees drafts, and refusals of the report actions."""

from __future__ import annotations

from duban.api.tests.base import ApiTestCase
from duban.items import actions
from duban.items.models import Item
from duban.org.models import User


class ReportsTest(ApiTestCase):
    def in_progress(self) -> Item:
        item = self.assigned()
        return actions.acknowledge(item, actor=self.refreshed(self.lead_liaison))

    def kinds(self, user: User, item: Item) -> list[tuple[str, str]]:
        rows = self.get(user, f"/items/{item.pk}/reports").json()
        return [(row["kind"], row["state"]) for row in rows]

    def test_drafts_stay_in_the_unit(self) -> None:
        item = self.in_progress()
        self.act(self.lead_liaison, item, "report_progress", content="完成过半")
        self.act(self.lead_liaison, item, "draft_final", content="已完成")
        self.assertEqual(
            self.kinds(self.lead_liaison, item), [("final", "draft"), ("progress", "submitted")]
        )
        self.assertEqual(self.kinds(self.office, item), [("progress", "submitted")])
        self.assertRefused(
            self.get(self.sibling_liaison, f"/items/{item.pk}/reports"), 404, "not_found"
        )

    def test_refusals(self) -> None:
        item = self.in_progress()
        refused = self.assertRefused(
            self.act(self.lead_liaison, item, "report_progress", content=" "), 400, "invalid"
        )
        self.assertIn("content", refused["fields"])
        self.assertRefused(
            self.act(self.co_liaison, item, "report_progress", content="x"), 403, "forbidden"
        )
        self.assertRefused(self.act(self.lead_leader, item, "sign_off"), 400, "invalid")
        self.assertRefused(self.act(self.lead_liaison, item, "submit_final"), 400, "invalid")
        stale = self.fresh(item).version
        self.act(self.lead_liaison, item, "draft_final", content="已完成")
        refused = self.assertRefused(
            self.act(self.lead_liaison, item, "submit_for_signoff", version=stale), 409, "conflict"
        )
        self.assertIn("已被他人修改", refused["message"])

    def test_accept_outcome_validated(self) -> None:
        item = self.in_progress()
        Item.objects.filter(pk=item.pk).update(state="submitted")
        refused = self.assertRefused(
            self.act(self.office, item, "accept", outcome="B"), 400, "invalid"
        )
        self.assertEqual(list(refused["fields"]), ["follow_up_date"])
        response = self.act(self.office, item, "accept", outcome="B", follow_up_date="2099-01-04")
        self.assertEqual(response.status_code, 200, response.content.decode())
