"""GET /items/{id}/events: the lead unit reads the item's timeline, a sibling unit gets 404.

The gate is the item's own `restrict` (duban/items/timeline.py `item_events`), not the audit
log's scope: a liaison or unit leader is no auditor, yet must see the history of what they handle.
"""

from __future__ import annotations

from duban.api.tests.base import ApiTestCase
from duban.audit.types import EventType


class TimelineTest(ApiTestCase):
    def test_lead_liaison_and_unit_leader_read_the_assign_event(self) -> None:
        item = self.assigned()
        for user in (self.lead_liaison, self.lead_leader):
            with self.subTest(user=user.username):
                response = self.get(user, f"/items/{item.pk}/events")
                self.assertEqual(response.status_code, 200, response.content.decode())
                events = response.json()
                self.assertTrue(events)
                assigned = [e for e in events if e["type"] == EventType.ITEM_ASSIGNED]
                self.assertEqual(len(assigned), 1)
                self.assertEqual(assigned[0]["type_label"], "事项交办")
                self.assertEqual(assigned[0]["details"]["lead_unit"], self.lead.pk)
                self.assertEqual(assigned[0]["details"]["to"], "assigned")

    def test_sibling_liaison_gets_404_and_no_events(self) -> None:
        item = self.assigned()
        response = self.get(self.sibling_liaison, f"/items/{item.pk}/events")
        self.assertRefused(response, 404, "not_found")
        self.assertNotIn("事项交办", response.content.decode())
