"""The report screens of the item page: progress, 协办意见, the final report with 送审签 and 审签,
extension requests and their decision, each through the page as the person would use it."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile

from duban.audit.types import EventType
from duban.items import actions, extending, reporting
from duban.items.models import (
    Attachment,
    ExtensionRequest,
    ExtensionState,
    Item,
    ItemState,
    ProgressReport,
    ReportKind,
    ReportState,
)
from duban.items.tests.test_pages import FAR, PageTestCase

PDF = b"%PDF-1.7\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


class ReportPagesTestCase(PageTestCase):
    def started(self, **fields: Any) -> Item:
        fields.setdefault("time_limit", FAR)
        item = self.assigned(**fields)
        actions.acknowledge(item, actor=self.refreshed(self.lead_liaison))
        return self.fresh(item)

    def page(self, persona: str, name: str, item: Item, *more: int) -> Any:
        return self.as_(persona).get(self.url_for(name, item, *more))

    def post(self, persona: str, name: str, item: Item, data: dict[str, Any], *more: int) -> Any:
        data = {"version": self.fresh(item).version, **data}
        return self.as_(persona).post(self.url_for(name, item, *more), data)

    def url_for(self, name: str, item: Item, *more: int) -> str:
        from django.urls import reverse

        return reverse(f"items:{name}", args=[item.pk, *more])

    def todo(self, persona: str, key: str) -> tuple[int, list[str]]:
        panels = self.as_(persona).get("/").context["panels"]
        todos = next(p.context["todos"] for p in panels if p.template == "items/panel_todos.html")
        found = [t for t in todos if t.key == key]
        if not found:
            return (0, [])
        return found[0].count, [item.title for item in found[0].items]

    def final_draft(self, item: Item) -> ProgressReport:
        return reporting.draft_final(
            item, actor=self.refreshed(self.lead_liaison), content="改造全部完成"
        )


class ProgressPageTest(ReportPagesTestCase):
    def test_liaison_reports_with_a_file_and_everyone_in_scope_reads_it(self) -> None:
        item = self.started()
        self.assertIn(
            "report_progress", self.buttons(self.as_("lead_liaison").get(self.detail(item)))
        )
        upload = SimpleUploadedFile("现场照片说明.pdf", PDF, "application/pdf")
        response = self.post(
            "lead_liaison", "report", item, {"content": "已完成现场摸排", "file": [upload]}
        )
        self.assertRedirects(response, self.detail(item))
        report = ProgressReport.objects.get(item=item)
        self.assertEqual(report.kind, ReportKind.PROGRESS)
        self.assertEqual(Attachment.objects.get(report=report).original_name, "现场照片说明.pdf")
        for persona in ("office", "lead_leader"):
            page = self.as_(persona).get(self.detail(item)).content.decode()
            self.assertIn("已完成现场摸排", page, persona)
            self.assertIn("现场照片说明.pdf", page, persona)

    def test_empty_report_is_refused_naming_the_field(self) -> None:
        item = self.started()
        response = self.post("lead_liaison", "report", item, {"content": ""})
        self.assertContains(response, "进展情况不能为空", status_code=400)
        self.assertFalse(ProgressReport.objects.filter(item=item).exists())

    def test_renamed_executable_refuses_the_whole_report(self) -> None:
        item = self.started()
        upload = SimpleUploadedFile("报告.pdf", b"MZ\x90\x00" + b"\x00" * 64, "application/pdf")
        response = self.post(
            "lead_liaison", "report", item, {"content": "已完成", "file": [upload]}
        )
        self.assertEqual(response.status_code, 400)
        self.assertFalse(ProgressReport.objects.filter(item=item).exists())
        self.assertFalse(Attachment.objects.exists())

    def test_others_may_not_open_the_report_page(self) -> None:
        item = self.started()
        self.assertEqual(self.page("office", "report", item).status_code, 403)
        self.assertEqual(self.page("co_liaison", "report", item).status_code, 403)
        self.assertEqual(self.page("sibling_liaison", "report", item).status_code, 404)

    def test_stale_report_page_is_a_conflict(self) -> None:
        item = self.started()
        seen = item.version
        reporting.report_progress(item, actor=self.refreshed(self.lead_liaison), content="第一次")
        response = self.as_("lead_liaison").post(
            self.url_for("report", item), {"version": seen, "content": "第二次"}
        )
        self.assertContains(response, "已被他人修改", status_code=409)
        self.assertEqual(ProgressReport.objects.filter(item=item).count(), 1)

    def detail(self, item: Item) -> str:
        return self.url("detail", item)


class CoInputPageTest(ReportPagesTestCase):
    def test_co_unit_sends_its_input_the_lead_sees_it(self) -> None:
        item = self.started()
        actions.acknowledge(item, actor=self.refreshed(self.co_liaison))
        response = self.post("co_liaison", "co_input", item, {"content": "已配合完成资金测算"})
        self.assertEqual(response.status_code, 302)
        report = ProgressReport.objects.get(item=item, kind=ReportKind.CO_INPUT)
        self.assertEqual(report.unit, self.co)
        page = self.as_("lead_liaison").get(self.url("detail", item)).content.decode()
        self.assertIn("已配合完成资金测算", page)


class FinalReportPageTest(ReportPagesTestCase):
    def test_draft_save_then_send_then_sign_off(self) -> None:
        item = self.started()
        response = self.post("lead_liaison", "final", item, {"content": "改造全部完成"})
        self.assertEqual(response.status_code, 302)
        draft = reporting.open_final(item)
        assert draft is not None
        self.assertEqual(draft.state, ReportState.DRAFT)
        # A draft is the unit's own business: the office does not see it.
        self.assertNotIn(
            "改造全部完成", self.as_("office").get(self.url("detail", item)).content.decode()
        )
        detail = self.as_("lead_liaison").get(self.url("detail", item))
        self.assertContains(detail, 'id="final-send"')
        self.assertContains(detail, "修改办结报告")
        response = self.post("lead_liaison", "final_send", item, {})
        draft.refresh_from_db()
        self.assertEqual(draft.state, ReportState.AWAITING_SIGNOFF)
        # The leader sees 审签 and the report on the sign-off page.
        self.assertIn(
            "sign_off", self.buttons(self.as_("lead_leader").get(self.url("detail", item)))
        )
        self.assertContains(self.page("lead_leader", "sign_off", item), "改造全部完成")
        response = self.post("lead_leader", "sign_off", item, {"comment": "同意报送"})
        self.assertEqual(response.status_code, 302)
        self.assertEqual(self.fresh(item).state, ItemState.SUBMITTED)
        self.assertContains(self.as_("office").get(self.url("detail", item)), "改造全部完成")

    def test_save_and_send_in_one_step(self) -> None:
        item = self.started()
        self.post("lead_liaison", "final", item, {"content": "改造全部完成", "send": "1"})
        final = reporting.open_final(item)
        assert final is not None
        self.assertEqual(final.state, ReportState.AWAITING_SIGNOFF)

    def test_sign_off_offered_only_with_a_report_awaiting(self) -> None:
        item = self.started()
        self.assertNotIn(
            "sign_off", self.buttons(self.as_("lead_leader").get(self.url("detail", item)))
        )
        self.final_draft(item)
        # A draft not yet sent is not the leader's to sign.
        self.assertNotIn(
            "sign_off", self.buttons(self.as_("lead_leader").get(self.url("detail", item)))
        )
        response = self.post("lead_leader", "sign_off", item, {})
        self.assertContains(response, "没有待审签的办结报告", status_code=400)
        self.assertEqual(self.fresh(item).state, ItemState.IN_PROGRESS)

    def test_liaison_may_not_sign_off(self) -> None:
        item = self.started()
        self.final_draft(item)
        reporting.submit_for_signoff(item, actor=self.refreshed(self.lead_liaison))
        self.assertEqual(self.page("lead_liaison", "sign_off", item).status_code, 403)

    def test_signed_but_unsent_report_is_sent_by_the_liaison(self) -> None:
        """After an API sign-off with send=false the liaison's page offers 报送办结报告."""
        item = self.started()
        self.final_draft(item)
        reporting.submit_for_signoff(item, actor=self.refreshed(self.lead_liaison))
        reporting.sign_off(item, actor=self.refreshed(self.lead_leader), send=False)
        item = self.fresh(item)
        self.assertIn(
            "submit_final", self.buttons(self.as_("lead_liaison").get(self.url("detail", item)))
        )
        self.as_("lead_liaison").post(
            self.act_url(item, "submit_final"), {"submit_final-version": item.version}
        )
        self.assertEqual(self.fresh(item).state, ItemState.SUBMITTED)


class ExtensionPagesTest(ReportPagesTestCase):
    def ask(self, item: Item, requested: dt.date) -> Any:
        data = {
            "reason": "征地拆迁未完成",
            "progress": "已完成七成",
            "next_steps": "加快协调",
            "requested_date": requested.isoformat(),
        }
        return self.post("lead_liaison", "extension_request", item, data)

    def test_request_then_head_approves_to_another_date(self) -> None:
        item = self.started(time_limit=dt.date(2099, 6, 30))
        response = self.ask(item, dt.date(2099, 9, 30))
        self.assertEqual(response.status_code, 302)
        pending = ExtensionRequest.objects.get(item=item)
        detail = self.as_("lead_liaison").get(self.url("detail", item))
        self.assertNotIn("request_extension", self.buttons(detail))
        self.assertContains(detail, 'id="extension-withdraw"')
        # Office staff see the request; only the head decides.
        self.assertNotIn(
            "decide_extension", self.buttons(self.as_("office").get(self.url("detail", item)))
        )
        self.assertIn(
            "decide_extension", self.buttons(self.as_("office_head").get(self.url("detail", item)))
        )
        page = self.page("office_head", "extension_decide", item, pending.pk)
        self.assertContains(page, "征地拆迁未完成")
        data = {"decision": "approve", "granted_date": "2099-08-31", "decision_note": ""}
        response = self.post("office_head", "extension_decide", item, data, pending.pk)
        self.assertEqual(response.status_code, 302)
        item = self.fresh(item)
        self.assertEqual(item.due_date, dt.date(2099, 8, 31))
        self.assertEqual(item.original_due_date, dt.date(2099, 6, 30))
        page = self.as_("lead_liaison").get(self.url("detail", item)).content.decode()
        self.assertIn("原定时限 2099-06-30", page)
        self.assertIn("批准延至 2099-08-31", page)

    def test_refusal_needs_a_note_and_changes_nothing(self) -> None:
        item = self.started(time_limit=dt.date(2099, 6, 30))
        self.ask(item, dt.date(2099, 9, 30))
        pending = ExtensionRequest.objects.get(item=item)
        data = {"decision": "reject", "decision_note": ""}
        response = self.post("office_head", "extension_decide", item, data, pending.pk)
        self.assertContains(response, "不同意延期须填写审批意见", status_code=400)
        pending.refresh_from_db()
        self.assertEqual(pending.state, ExtensionState.PENDING)
        data["decision_note"] = "时限不宜再延"
        self.post("office_head", "extension_decide", item, data, pending.pk)
        pending.refresh_from_db()
        self.assertEqual(pending.state, ExtensionState.REJECTED)
        self.assertEqual(self.fresh(item).due_date, dt.date(2099, 6, 30))

    def test_request_date_not_after_due_is_refused(self) -> None:
        item = self.started(time_limit=dt.date(2099, 6, 30))
        response = self.ask(item, dt.date(2099, 6, 1))
        self.assertContains(response, "申请延至日期须晚于现办理时限", status_code=400)
        self.assertFalse(ExtensionRequest.objects.exists())

    def test_withdraw(self) -> None:
        item = self.started(time_limit=dt.date(2099, 6, 30))
        self.ask(item, dt.date(2099, 9, 30))
        pending = ExtensionRequest.objects.get(item=item)
        response = self.as_("lead_liaison").post(
            self.url_for("extension_withdraw", item, pending.pk)
        )
        self.assertEqual(response.status_code, 302)
        pending.refresh_from_db()
        self.assertEqual(pending.state, ExtensionState.WITHDRAWN)
        self.assertTrue(
            self.events_of(item, EventType.ITEM_EXTENSION_WITHDRAWN),
        )

    def test_decided_request_answers_404(self) -> None:
        item = self.started(time_limit=dt.date(2099, 6, 30))
        self.ask(item, dt.date(2099, 9, 30))
        pending = ExtensionRequest.objects.get(item=item)
        extending.withdraw_extension(pending, actor=self.refreshed(self.lead_liaison))
        self.assertEqual(
            self.page("office_head", "extension_decide", item, pending.pk).status_code, 404
        )

    def events_of(self, item: Item, kind: EventType) -> bool:
        from duban.audit.models import Event

        return Event.objects.for_target(item).filter(type=kind).exists()


class WorkbenchTodoTest(ReportPagesTestCase):
    def test_to_report_when_the_period_is_near_or_late(self) -> None:
        item = self.started()
        Item.objects.filter(pk=item.pk).update(next_report_due=dt.date(2099, 1, 1))
        self.assertEqual(self.todo("lead_liaison", "report"), (0, []))
        Item.objects.filter(pk=item.pk).update(next_report_due=dt.date(2000, 1, 1))
        self.assertEqual(self.todo("lead_liaison", "report"), (1, [item.title]))
        # The co-unit does not write the progress report; the sibling sees nothing.
        self.assertEqual(self.todo("co_liaison", "report"), (0, []))
        self.assertEqual(self.todo("sibling_liaison", "report"), (0, []))

    def test_to_sign_off_for_the_unit_leader(self) -> None:
        item = self.started()
        self.final_draft(item)
        self.assertEqual(self.todo("lead_leader", "sign_off"), (0, []))
        reporting.submit_for_signoff(item, actor=self.refreshed(self.lead_liaison))
        self.assertEqual(self.todo("lead_leader", "sign_off"), (1, [item.title]))
        self.assertEqual(self.todo("lead_liaison", "sign_off"), (0, []))
        reporting.sign_off(item, actor=self.refreshed(self.lead_leader))
        self.assertEqual(self.todo("lead_leader", "sign_off"), (0, []))

    def test_extensions_to_decide_for_the_office_head(self) -> None:
        item = self.started(time_limit=dt.date(2099, 6, 30))
        extending.request_extension(
            item,
            actor=self.refreshed(self.lead_liaison),
            reason="征地未完成",
            progress="七成",
            next_steps="加快",
            requested_date=dt.date(2099, 9, 30),
        )
        self.assertEqual(self.todo("office_head", "extension"), (1, [item.title]))
        self.assertEqual(self.todo("office", "extension"), (0, []))
        self.assertEqual(self.todo("lead_liaison", "extension"), (0, []))

    def test_reminded_until_the_unit_reports(self) -> None:
        from duban.items import reminding

        item = self.started()
        reminding.remind(item, actor=self.office, message="请于本周五前报送进展")
        self.assertEqual(self.todo("lead_liaison", "reminded"), (1, [item.title]))
        self.assertEqual(self.todo("sibling_liaison", "reminded"), (0, []))
        reporting.report_progress(item, actor=self.refreshed(self.lead_liaison), content="已推进")
        self.assertEqual(self.todo("lead_liaison", "reminded"), (0, []))

    def test_follow_up_due_for_the_office(self) -> None:
        item = self.started()
        Item.objects.filter(pk=item.pk).update(
            state=ItemState.COMPLETED, outcome="B", follow_up_date=dt.date(2000, 1, 1)
        )
        self.assertEqual(self.todo("office", "follow_up"), (1, [item.title]))
        self.assertEqual(self.todo("lead_liaison", "follow_up"), (0, []))


class RemindPageTest(ReportPagesTestCase):
    def test_office_reminds_with_a_message_the_units_see_it(self) -> None:
        from duban.items.models import Reminder

        item = self.started()
        self.assertIn("remind", self.buttons(self.as_("office").get(self.url("detail", item))))
        self.assertNotIn(
            "remind", self.buttons(self.as_("lead_liaison").get(self.url("detail", item)))
        )
        response = self.as_("office").post(
            self.act_url(item, "remind"),
            {"remind-version": item.version, "remind-reason": "请于本周五前报送进展"},
        )
        self.assertRedirects(response, self.url("detail", item))
        self.assertEqual(
            set(Reminder.objects.filter(item=item).values_list("unit_id", flat=True)),
            {self.lead.pk, self.co.pk},
        )
        page = self.as_("lead_liaison").get(self.url("detail", item)).content.decode()
        self.assertIn("请于本周五前报送进展", page.split('id="item-reminders"')[1])

    def test_remind_without_a_message_is_refused(self) -> None:
        from duban.items.models import Reminder

        item = self.started()
        response = self.as_("office").post(
            self.act_url(item, "remind"), {"remind-version": item.version, "remind-reason": ""}
        )
        self.assertContains(response, "催办内容不能为空", status_code=400)
        self.assertFalse(Reminder.objects.exists())


class PlanPageTest(ReportPagesTestCase):
    def test_lead_liaison_sends_the_plan_and_its_todo_clears(self) -> None:
        item = self.started()
        self.assertEqual(self.todo("lead_liaison", "plan"), (1, [item.title]))
        self.assertIn(
            "submit_plan", self.buttons(self.as_("lead_liaison").get(self.url("detail", item)))
        )
        self.assertNotIn(
            "submit_plan", self.buttons(self.as_("co_liaison").get(self.url("detail", item)))
        )
        response = self.post("lead_liaison", "plan", item, {"content": "一、目标任务;二、主要措施"})
        self.assertRedirects(response, self.url("detail", item))
        plan = reporting.current_plan(item)
        assert plan is not None
        self.assertEqual(plan.kind, ReportKind.PLAN)
        self.assertEqual(self.todo("lead_liaison", "plan"), (0, []))
        page = self.as_("office").get(self.url("detail", item)).content.decode()
        self.assertIn("一、目标任务;二、主要措施", page)
        # A revision starts from the plan in force.
        self.assertContains(self.page("lead_liaison", "plan", item), "一、目标任务;二、主要措施")
        detail = self.as_("lead_liaison").get(self.url("detail", item))
        self.assertContains(detail, "修改工作方案")

    def test_empty_plan_refused(self) -> None:
        item = self.started()
        response = self.post("lead_liaison", "plan", item, {"content": ""})
        self.assertContains(response, "工作方案不能为空", status_code=400)
        self.assertIsNone(reporting.current_plan(item))

    def test_plan_through_the_api_answers_reminders(self) -> None:
        from duban.items import reminding
        from duban.items.models import Reminder

        item = self.started()
        reminding.remind(item, actor=self.office, message="请报送工作方案", unit=self.lead)
        reporting.submit_plan(
            self.fresh(item), actor=self.refreshed(self.lead_liaison), content="方案"
        )
        self.assertIsNotNone(Reminder.objects.get(item=item).answered_at)
