"""催办 through the API (seed 004 第七条(五)): sent by the office, answered by a report."""

from __future__ import annotations

from duban.api.tests.base import ApiTestCase
from duban.audit.models import Event
from duban.audit.types import EventType
from duban.items import actions
from duban.items.models import Item, Reminder


class RemindersApiTest(ApiTestCase):
    def in_progress(self) -> Item:
        item = self.assigned()
        return actions.acknowledge(item, actor=self.refreshed(self.lead_liaison))

    def test_remind_one_unit_then_answered_by_its_report(self) -> None:
        item = self.in_progress()
        names = [r["action"] for r in self.get(self.office, f"/items/{item.pk}/actions").json()]
        self.assertIn("remind", names)
        response = self.act(
            self.office, item, "remind", message="请报送本周进展", unit=self.lead.pk
        )
        self.assertEqual(response.status_code, 200, response.content.decode())
        self.assertEqual(response.json()["version"], self.fresh(item).version)
        rows = self.get(self.lead_liaison, f"/items/{item.pk}/reminders").json()
        self.assertEqual(
            [(r["unit"]["id"], r["message"], r["sent_by"], r["answered_at"]) for r in rows],
            [(self.lead.pk, "请报送本周进展", "office", None)],
        )
        self.act(self.lead_liaison, item, "report_progress", content="完成过半")
        [row] = self.get(self.office, f"/items/{item.pk}/reminders").json()
        self.assertIsNotNone(row["answered_at"])

    def test_remind_every_handling_unit(self) -> None:
        item = self.in_progress()
        response = self.act(self.office_head, item, "remind", message="加快进度")
        self.assertEqual(response.status_code, 200, response.content.decode())
        rows = self.get(self.office, f"/items/{item.pk}/reminders").json()
        self.assertEqual(sorted(r["unit"]["id"] for r in rows), sorted([self.lead.pk, self.co.pk]))
        self.assertEqual(Event.objects.filter(type=EventType.ITEM_REMINDED).count(), 1)

    def test_refusals(self) -> None:
        item = self.in_progress()
        refused = self.assertRefused(self.act(self.office, item, "remind"), 400, "invalid")
        self.assertEqual(refused["fields"], {"message": ["催办内容不能为空。"]})
        refused = self.assertRefused(
            self.act(self.office, item, "remind", message="催", unit=self.sibling.pk),
            400,
            "invalid",
        )
        self.assertEqual(refused["fields"], {"unit": ["该单位不是此事项的承办单位。"]})
        self.assertRefused(
            self.act(self.lead_liaison, item, "remind", message="催"), 403, "forbidden"
        )
        self.assertRefused(
            self.act(self.sibling_liaison, item, "remind", message="催"), 404, "not_found"
        )
        stale = self.fresh(item).version
        self.act(self.lead_liaison, item, "report_progress", content="完成过半")
        refused = self.assertRefused(
            self.act(self.office, item, "remind", message="催", version=stale), 409, "conflict"
        )
        self.assertIn("已被他人修改", refused["message"])
        refused = self.assertRefused(
            self.act(self.office, self.draft(), "remind", message="催"), 409, "illegal_transition"
        )
        self.assertIn("不能执行「催办」", refused["message"])
        self.assertFalse(Reminder.objects.exists())

    def test_sibling_cannot_read_reminders(self) -> None:
        item = self.in_progress()
        self.act(self.office, item, "remind", message="请加快")
        self.assertRefused(
            self.get(self.sibling_liaison, f"/items/{item.pk}/reminders"), 404, "not_found"
        )
