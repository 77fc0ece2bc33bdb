"""Each lifecycle action as POST /items/{id}/<action>, allowed and refused; the whole run."""

from __future__ import annotations

from typing import Any

from duban.api.tests.base import ApiTestCase
from duban.items import actions
from duban.items.models import Item, ItemState


class ActionTest(ApiTestCase):
    def in_progress(self) -> Item:
        item = self.assigned()
        return actions.acknowledge(item, actor=self.refreshed(self.lead_liaison))

    def submitted(self) -> Item:
        # How a final report is drafted, signed and sent is the reporting tests' business;
        # here only the office's review of a submitted item matters.
        item = self.in_progress()
        Item.objects.filter(pk=item.pk).update(state=ItemState.SUBMITTED)
        return self.fresh(item)

    def completed(self) -> Item:
        return actions.accept(self.submitted(), actor=self.office)

    def ok(self, response: Any, state: str) -> dict[str, Any]:
        self.assertEqual(response.status_code, 200, response.content.decode())
        payload: dict[str, Any] = response.json()
        self.assertEqual(payload["state"], state)
        return payload

    def test_submit_approve_send_back(self) -> None:
        item = self.draft()
        self.assertRefused(self.act(self.auditor, item, "submit"), 403, "forbidden")
        self.ok(self.act(self.office, item, "submit"), "pending_approval")
        self.assertRefused(self.act(self.office, item, "approve"), 403, "forbidden")
        refused = self.assertRefused(self.act(self.leader, item, "send_back"), 400, "invalid")
        self.assertEqual(refused["fields"], {"reason": ["此项为必填项。"]})
        refused = self.assertRefused(
            self.act(self.leader, item, "send_back", reason="  "), 400, "invalid"
        )
        self.assertEqual(refused["message"], "请填写理由。")
        self.assertEqual(refused["fields"], {"reason": ["请填写理由。"]})
        self.ok(self.act(self.leader, item, "send_back", reason="依据不充分"), "draft")
        self.act(self.office, item, "submit")
        self.ok(self.act(self.office_head, item, "approve", comment="同意"), "draft")

    def test_assign(self) -> None:
        item = self.draft()
        refused = self.assertRefused(self.act(self.office, item, "assign"), 400, "invalid")
        self.assertEqual(refused["fields"], {"lead_unit": ["此项为必填项。"]})
        refused = self.assertRefused(
            self.act(self.office, item, "assign", lead_unit=999999), 400, "invalid"
        )
        self.assertIn("lead_unit", refused["fields"])
        body = {"lead_unit": self.lead.pk, "co_units": [self.co.pk], "start": "2025-09-30"}
        payload = self.ok(self.act(self.office, item, "assign", **body), "assigned")
        self.assertEqual(payload["due_date"], "2025-10-11")
        self.assertEqual(len(payload["units"]), 2)
        self.assertRefused(self.act(self.office, item, "assign", **body), 409, "illegal_transition")

    def test_illegal_transition(self) -> None:
        item = self.assigned()
        refused = self.assertRefused(
            self.act(self.office, item, "submit"), 409, "illegal_transition"
        )
        self.assertEqual(refused["message"], "事项当前状态为「已交办」,不能执行「送审」。")
        self.assertIn("state", refused["fields"])

    def test_stale_version_conflicts(self) -> None:
        item = self.draft()
        read = self.fresh(item).version
        self.ok(self.act(self.office, item, "submit", version=read), "pending_approval")
        self.act(self.office_head, item, "send_back", reason="补充材料")
        refused = self.assertRefused(
            self.act(self.office, item, "submit", version=read), 409, "conflict"
        )
        self.assertIn("已被他人修改", refused["message"])
        self.assertEqual(self.fresh(item).state, "draft")

    def test_missing_version(self) -> None:
        item = self.draft()
        response = self.post(self.office, f"/items/{item.pk}/submit", {})
        refused = self.assertRefused(response, 400, "invalid")
        self.assertEqual(refused["fields"], {"version": ["此项为必填项。"]})

    def test_unit_side(self) -> None:
        item = self.assigned()
        self.assertRefused(self.act(self.office, item, "acknowledge"), 403, "forbidden")
        self.ok(self.act(self.co_liaison, item, "acknowledge_part"), "assigned")
        self.ok(self.act(self.lead_liaison, item, "acknowledge"), "in_progress")
        refused = self.act(self.office, item, "submit_final", text="已完成")
        self.assertRefused(refused, 403, "forbidden")

    def test_decline(self) -> None:
        item = self.assigned()
        self.assertRefused(self.act(self.lead_liaison, item, "decline", reason=""), 400, "invalid")
        payload = self.ok(
            self.act(self.lead_liaison, item, "decline", reason="不属于本单位职责"), "draft"
        )
        self.assertIsNone(payload["lead_unit"])
        # Declined, the unit no longer handles the item and so no longer sees it.
        self.assertRefused(self.get(self.lead_liaison, f"/items/{item.pk}"), 404, "not_found")

    def test_office_review(self) -> None:
        item = self.submitted()
        self.assertRefused(self.act(self.lead_liaison, item, "accept"), 403, "forbidden")
        self.assertRefused(self.act(self.office, item, "return_for_redo"), 400, "invalid")
        payload = self.ok(
            self.act(self.office, item, "return_for_redo", reason="缺少验收材料"), "in_progress"
        )
        self.assertEqual(payload["return_count"], 1)

    def test_accept_archive_reopen(self) -> None:
        item = self.submitted()
        payload = self.ok(self.act(self.office, item, "accept"), "completed")
        self.assertTrue(payload["completed_late"])  # due 2025-10-11, accepted later
        self.ok(self.act(self.office, item, "reopen", reason="回访发现仍有积水"), "in_progress")
        item = self.completed()
        self.ok(self.act(self.office, item, "archive"), "archived")
        self.assertRefused(self.act(self.office, item, "archive"), 409, "illegal_transition")

    def test_cancel(self) -> None:
        item = self.assigned()
        self.assertRefused(self.act(self.office, item, "cancel", reason="重复"), 403, "forbidden")
        self.ok(self.act(self.office_head, item, "cancel", reason="与另一事项重复"), "cancelled")


class LifecycleTest(ApiTestCase):
    """Issue 4's whole lifecycle, through the API only: register and assign, sign, report, sign
    off, returned, redone, accepted, archived."""

    def step(self, user: Any, item_id: int, action: str, state: str, **body: Any) -> None:
        with self.subTest(action=action, user=user.username):
            before = self.get(user, f"/items/{item_id}").json()
            names = [r["action"] for r in self.get(user, f"/items/{item_id}/actions").json()]
            # submit_for_signoff and acknowledge_part travel under draft_final / acknowledge.
            alias = {"submit_for_signoff": "draft_final", "acknowledge": "acknowledge_part"}
            self.assertTrue(action in names or alias.get(action) in names, names)
            response = self.post(
                user, f"/items/{item_id}/{action}", {"version": before["version"], **body}
            )
            self.assertEqual(response.status_code, 200, response.content.decode())
            self.assertEqual(response.json()["state"], state)

    def test_whole_lifecycle(self) -> None:
        body = {
            "title": "推进老旧小区改造",
            "source": "leader_instruction",
            "source_person": "张市长",
            "source_text": "请市住建局牵头,年内完成。",
            "content": "年内完成",
        }
        created = self.post(self.office, "/items", body)
        self.assertEqual(created.status_code, 201, created.content.decode())
        pk = created.json()["id"]
        self.assertEqual(created.json()["owner_unit"]["id"], self.supervision.pk)

        units = {"lead_unit": self.lead.pk, "co_units": [self.co.pk]}
        report = {"content": "已完成 12 个小区改造", "next_steps": "组织验收"}
        self.step(self.office, pk, "assign", "assigned", **units)
        self.step(self.co_liaison, pk, "acknowledge", "assigned")
        self.step(self.lead_liaison, pk, "acknowledge", "in_progress")
        self.step(self.co_liaison, pk, "co_input", "in_progress", content="配合完成管网改造")
        self.step(self.lead_liaison, pk, "report_progress", "in_progress", content="完成过半")
        self.step(self.lead_liaison, pk, "draft_final", "in_progress", **report)
        self.step(self.lead_liaison, pk, "submit_for_signoff", "in_progress")
        self.step(self.lead_leader, pk, "sign_off", "submitted", comment="同意报送")
        self.step(self.office, pk, "return_for_redo", "in_progress", reason="缺少验收材料")
        self.step(self.lead_liaison, pk, "draft_final", "in_progress", content="补充验收材料")
        self.step(self.lead_liaison, pk, "submit_for_signoff", "in_progress")
        self.step(self.lead_leader, pk, "sign_off", "in_progress", send=False)
        self.step(self.lead_liaison, pk, "submit_final", "submitted")
        self.step(self.office, pk, "accept", "completed", outcome="A")
        self.step(self.office, pk, "archive", "archived")

        item = self.get(self.office, f"/items/{pk}").json()
        self.assertEqual(item["return_count"], 1)
        events = self.get(self.office, f"/items/{pk}/events").json()
        self.assertEqual(events[0]["type_label"], "登记督查事项")
        reasons = [e["details"].get("reason") for e in events if e["details"].get("reason")]
        self.assertEqual(reasons, ["缺少验收材料"])
        self.assertEqual(events[-1]["details"]["to"], "archived")
