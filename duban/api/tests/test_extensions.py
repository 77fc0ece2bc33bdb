"""Extensions through the API: asked by the lead liaison, decided by the office head."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from duban.api.tests.base import ApiTestCase
from duban.items import actions
from duban.items.models import Item


class ExtensionsTest(ApiTestCase):
    def due_soon(self) -> tuple[Item, dt.date]:
        today = timezone.localdate()
        due = today + dt.timedelta(days=30)
        item = self.draft(time_limit=due)
        actions.assign(item, actor=self.office, lead_unit=self.lead, start=today)
        return actions.acknowledge(item, actor=self.refreshed(self.lead_liaison)), due

    def ask(self, item: Item, later: dt.date) -> dict[str, object]:
        body = {"reason": "征迁未完成", "progress": "已完成 8 个", "next_steps": "加快征迁"}
        response = self.act(
            self.lead_liaison, item, "request_extension", requested_date=later.isoformat(), **body
        )
        self.assertEqual(response.status_code, 200, response.content.decode())
        return response.json()

    def test_request_and_approve(self) -> None:
        item, due = self.due_soon()
        later = due + dt.timedelta(days=20)
        self.ask(item, later)
        names = [
            r["action"] for r in self.get(self.office_head, f"/items/{item.pk}/actions").json()
        ]
        self.assertIn("decide_extension", names)
        response = self.act(self.office_head, item, "decide_extension", approve=True)
        self.assertEqual(response.status_code, 200, response.content.decode())
        payload = response.json()
        self.assertEqual(
            (payload["due_date"], payload["original_due_date"]), (str(later), str(due))
        )
        rows = self.get(self.lead_liaison, f"/items/{item.pk}/extensions").json()
        self.assertEqual([(r["state"], r["due_before"]) for r in rows], [("approved", str(due))])

    def test_refusals(self) -> None:
        item, due = self.due_soon()
        refused = self.assertRefused(
            self.act(self.lead_liaison, item, "request_extension"), 400, "invalid"
        )
        self.assertEqual(refused["fields"], {"reason": ["延期理由不能为空。"]})
        refused = self.assertRefused(
            self.act(self.office_head, item, "decide_extension", approve=True), 400, "invalid"
        )
        self.assertIn("extension", refused["fields"])
        self.ask(item, due + dt.timedelta(days=5))
        self.assertRefused(
            self.act(self.lead_liaison, item, "decide_extension", approve=True), 403, "forbidden"
        )
        refused = self.assertRefused(
            self.act(self.office_head, item, "decide_extension", approve=False), 400, "invalid"
        )
        self.assertIn("decision_note", refused["fields"])
