"""The 审计日志 page (/audit/): who sees which events, paging from the newest, the type filter.

On PostgreSQL the city scopes here are narrow: their pages come from each unit's newest events
(audit/views._newest_seqs), and must be the same pages."""

from __future__ import annotations

import re
from unittest import mock

from duban.audit.models import Event
from duban.core.testing import PersonaTestCase
from duban.org import actions

URL = "/audit/"
SEQ = re.compile(r'<td class="mono">(\d+)</td>')


class EventListTest(PersonaTestCase):
    def seqs(self, user: object, **params: str) -> list[int]:
        response = self.client_for(user).get(URL, params)  # type: ignore[arg-type]
        self.assertEqual(response.status_code, 200)
        return [int(s) for s in SEQ.findall(response.content.decode())]

    def test_newest_first_a_page_at_a_time_without_counting(self) -> None:
        seen = Event.objects.restrict(self.admin, "view").order_by("-seq")
        everything = list(seen.values_list("seq", flat=True))
        self.assertGreater(len(everything), 5)
        with mock.patch("duban.audit.views.PER_PAGE", 2):
            first = self.client_for(self.admin).get(URL)
            self.assertEqual(self.seqs(self.admin), everything[:2])
            self.assertContains(first, 'href="?page=2" id="older-events"')
            self.assertNotContains(first, 'id="newer-events"')
            self.assertNotContains(first, "共 ")  # no total: a province's log is millions long
            self.assertEqual(self.seqs(self.admin, page="2"), everything[2:4])
            last = (len(everything) + 1) // 2
            final = self.client_for(self.admin).get(URL, {"page": str(last)})
            self.assertNotContains(final, 'id="older-events"')
            self.assertContains(final, f'href="?page={last - 1}" id="newer-events"')
            # A page number that is no number shows the first page.
            self.assertEqual(self.seqs(self.admin, page="x"), everything[:2])
            self.assertEqual(self.seqs(self.admin, page="99999999999"), everything[:2])

    def test_the_type_filter_is_kept_from_page_to_page(self) -> None:
        for n in range(3):
            actions.create_unit(
                actor=self.admin, code=f"T-N{n}", name=f"新单位{n}", kind="other", parent=self.city
            )
        seen = Event.objects.restrict(self.admin, "view")
        created = seen.filter(target_model="org.unit").order_by("-seq")
        kind = str(created[0].type)
        wanted = list(created.filter(type=int(kind)).values_list("seq", flat=True))
        with mock.patch("duban.audit.views.PER_PAGE", 2):
            page = self.client_for(self.admin).get(URL, {"type": kind})
            self.assertContains(page, f'href="?type={kind}&page=2" id="older-events"')
            self.assertEqual(self.seqs(self.admin, type=kind), wanted[:2])
            self.assertEqual(self.seqs(self.admin, type=kind, page="2"), wanted[2:4])

    def test_each_person_sees_the_events_of_their_scope(self) -> None:
        actions.create_unit(
            actor=self.admin, code="T-DH-2", name="白云镇", kind="township", parent=self.district
        )
        town = Event.objects.filter(unit__code="T-DH-2").values_list("seq", flat=True)
        self.assertTrue(set(town) <= set(self.seqs(self.district_office)))
        lead = Event.objects.filter(unit=self.lead).values_list("seq", flat=True)
        self.assertFalse(set(lead) & set(self.seqs(self.district_office)))
        self.assertEqual(self.seqs(self.lead_liaison), [])  # liaisons do not read the log
        self.assertEqual(self.client_for(None).get(URL).status_code, 302)
