"""Documents drafted from data, then edited: the 督查通报's figures against a hand-counted
fixture (seed 004 第十九条 表扬, 第二十条 批评), the 督查专报, edits and templates as audited
actions with Chinese messages naming the field."""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django.test import SimpleTestCase
from django.urls import reverse
from django.utils import timezone, translation

from duban.audit.models import Event
from duban.audit.types import EventType
from duban.documents import actions, drafting
from duban.documents.layout import full_width
from duban.documents.models import Document, DocumentTemplate
from duban.documents.tests.base import FAR, DocumentTestCase
from duban.items import actions as items
from duban.items.actions import Conflict
from duban.items.models import Item, ItemState

START, END = dt.date(2026, 1, 1), dt.date(2026, 3, 31)
AS_OF = dt.date(2026, 3, 31)


def completed(item: Item, day: dt.date, *, late: bool) -> None:
    """A fixture's end state (the lifecycle to reach it is tested in items)."""
    at = dt.datetime.combine(day, dt.time(10), tzinfo=timezone.get_current_timezone())
    Item.objects.filter(pk=item.pk).update(
        state=ItemState.COMPLETED, completed_at=at, completed_late=late
    )


class BulletinTest(DocumentTestCase):
    def setUp(self) -> None:
        super().setUp()
        # 市发改委: two done on time → 表扬. 市住建局: one done late, one overdue → 批评.
        # 市市场监管局: one open, on track → neither. One done before the period: not counted.
        done1 = self.assigned_until(dt.date(2026, 2, 27), title="发改委事项一")
        done2 = self.assigned_until(dt.date(2026, 3, 13), title="发改委事项二")
        late = self.assigned_until(dt.date(2026, 2, 2), lead=self.co, title="住建局逾期办结")
        self.overdue = self.assigned_until(dt.date(2026, 3, 2), lead=self.co, title="住建局逾期")
        self.assigned_until(FAR, lead=self.sibling, title="监管局在办")
        old = self.assigned_until(dt.date(2025, 12, 15), title="去年办结")
        # Assigned on the deadlines' start day, not on the day the test runs.
        zone = timezone.get_current_timezone()
        Item.objects.update(assigned_at=dt.datetime(2025, 12, 1, 9, tzinfo=zone))
        completed(done1, dt.date(2026, 2, 20), late=False)
        completed(done2, dt.date(2026, 3, 10), late=False)
        completed(late, dt.date(2026, 2, 10), late=True)
        completed(old, dt.date(2025, 12, 12), late=False)

    def test_figures_by_hand(self) -> None:
        # 8, and the scope's extent that restrict() reads once per person (items/access.py).
        with self.assertNumQueries(9):
            f = drafting.figures(self.office, self.supervision, START, END, AS_OF)
        self.assertEqual(f.total, 5)
        self.assertEqual(f.by_state, {"completed": 3, "assigned": 2})
        self.assertEqual(f.by_light, {"red": 1, "green": 1})
        self.assertEqual((f.done, f.on_time, f.on_time_rate), (3, 2, "66.7%"))
        self.assertEqual(f.commended, ["市发改委"])
        self.assertEqual(f.criticised, [("市住建局", 1, 1)])
        self.assertEqual([row["title"] for row in f.overdue], ["住建局逾期"])

    def test_the_drafted_text_and_its_addressees(self) -> None:
        document = actions.draft_bulletin(
            actor=self.office, office=self.supervision, start=START, end=END, today=AS_OF
        )
        self.assertEqual(document.title, "关于2026年第一季度督查事项办理情况的通报")
        body = document.body
        self.assertIn("按期办结率66.7%", body)
        self.assertIn(full_width("市发改委按期办结本期全部督查事项,予以通报表扬。"), body)
        self.assertIn(full_width("市住建局有1项事项逾期未办结、1项事项逾期办结,予以通报批评"), body)
        self.assertIn(
            full_width("1.住建局逾期(主办单位:市住建局,办理时限2026年3月2日,已逾期29天)"), body
        )
        self.assertEqual(document.copy_to, "党委组织部")  # seed 004 第十九条
        addressed = set(document.addressees.values_list("name", flat=True))
        self.assertEqual(addressed, {"市发改委", "市住建局", "市市场监管局"})

    def test_a_document_is_drafted_in_chinese_from_an_english_page(self) -> None:
        with translation.override("en"):
            document = actions.draft_bulletin(
                actor=self.office, office=self.supervision, start=START, end=END, today=AS_OF
            )
        self.assertIn("按期办结率66.7%", document.body)
        self.assertIn("予以通报批评", document.body)

    def test_only_items_the_drafter_may_see(self) -> None:
        f = drafting.figures(self.district_office, self.supervision, START, END, AS_OF)
        self.assertEqual((f.total, f.commended, f.overdue), (0, [], []))

    def test_a_secret_overdue_item_is_counted_but_not_named(self) -> None:
        Item.objects.filter(pk=self.overdue.pk).update(confidentiality="secret")
        f = drafting.figures(self.office, self.supervision, START, END, AS_OF)
        self.assertEqual((f.by_light["red"], f.overdue_count, f.overdue), (1, 1, []))


class PeriodNameTest(SimpleTestCase):
    def test_whole_years_halves_quarters_and_months_by_name(self) -> None:
        d = dt.date
        cases = [
            (d(2026, 1, 1), d(2026, 12, 31), "2026年"),
            (d(2026, 1, 1), d(2026, 6, 30), "2026年上半年"),
            (d(2026, 7, 1), d(2026, 12, 31), "2026年下半年"),
            (d(2026, 7, 1), d(2026, 9, 30), "2026年第三季度"),
            (d(2026, 10, 1), d(2026, 12, 31), "2026年第四季度"),
            (d(2026, 2, 1), d(2026, 2, 28), "2026年2月"),
            (d(2028, 2, 1), d(2028, 2, 29), "2028年2月"),
            # Not a named period: its two dates.
            (d(2026, 2, 1), d(2026, 4, 30), "2026年2月1日至2026年4月30日"),
            (d(2026, 4, 1), d(2026, 9, 30), "2026年4月1日至2026年9月30日"),
            (d(2026, 11, 1), d(2027, 1, 31), "2026年11月1日至2027年1月31日"),
            (d(2026, 11, 1), d(2026, 11, 20), "2026年11月1日至2026年11月20日"),
            (d(2026, 11, 2), d(2026, 11, 30), "2026年11月2日至2026年11月30日"),
        ]
        for start, end, name in cases:
            self.assertEqual(drafting.period_name(start, end), name, (start, end))


class NoticeTest(DocumentTestCase):
    def test_an_item_without_a_lead_unit_is_refused_and_the_page_says_why(self) -> None:
        item = self.draft()
        with self.assertRaisesMessage(ValidationError, "尚未确定主办单位,不能生成督查通知"):
            actions.draft_for_item(item, "notice", actor=self.office)
        url = reverse("documents:for_item", args=[item.pk])
        response = self.client_for(self.office).post(url, {"kind": "notice"})
        self.assertContains(response, "尚未确定主办单位", status_code=400)
        self.assertFalse(Document.objects.exists())

    def test_a_closed_item_has_no_reminder_only_its_documents(self) -> None:
        """Nothing is left to urge once an item is cancelled: the action refuses, the page offers
        only the 督查通知, and the item page's button reads 督查文书."""
        item = self.assigned_until(FAR)
        notice = self.notice(item)
        cancelled = items.cancel(item, actor=self.office_head, reason="已并入专项行动。")
        with self.assertRaisesMessage(ValidationError, "已办结或撤销,不能生成催办单/督办单"):
            actions.draft_for_item(cancelled, "reminder", actor=self.office)
        client = self.client_for(self.office)
        page = client.get(reverse("documents:for_item", args=[item.pk])).content.decode()
        self.assertIn('id="draft-notice"', page)
        self.assertNotIn('id="draft-reminder"', page)
        self.assertIn(notice.title, page)
        detail = client.get(reverse("items:detail", args=[item.pk])).content.decode()
        self.assertIn("督查文书</a>", detail)
        self.assertNotIn("生成督查通知/催办单", detail)
        self.assertEqual(Document.objects.count(), 1)


class ReportTest(DocumentTestCase):
    def test_a_report_on_chosen_items(self) -> None:
        item = self.assigned_until(FAR, title="推进政务服务一网通办")
        document = actions.draft_report(
            actor=self.office,
            office=self.supervision,
            topic="关于一网通办的专报",
            item_ids=[item.pk],
        )
        self.assertEqual(document.title, "关于一网通办的专报")
        self.assertIn("一、推进政务服务一网通办", document.body)
        self.assertIn(
            full_width("主办单位:市发改委;办理时限:2099年6月30日;目前状态:已交办。"), document.body
        )
        self.assertEqual(list(document.items.all()), [item])

    def test_an_item_out_of_sight_is_refused(self) -> None:
        item = self.assigned_until(FAR)
        with self.assertRaisesMessage(ValidationError, "所选事项不存在或您无权查看"):
            actions.draft_report(
                actor=self.district_office,
                office=self.district,
                topic="专报",
                item_ids=[item.pk],
            )


class EditTest(DocumentTestCase):
    def test_edit_is_audited_before_and_after(self) -> None:
        document = self.notice()
        actions.edit_draft(
            document, actor=self.office, version=document.version, title="新标题", closing=""
        )
        event = Event.objects.get(type=EventType.DOCUMENT_EDITED)
        self.assertEqual(event.details["title"][1], "新标题")
        self.assertEqual(event.details["closing"], ["特此通知。", ""])

    def test_a_stale_page_is_a_conflict_and_changes_nothing(self) -> None:
        document = self.notice()
        seen = document.version
        actions.edit_draft(document, actor=self.office, version=seen, title="甲")
        with self.assertRaises(Conflict):
            actions.edit_draft(document, actor=self.office, version=seen, title="乙")
        self.assertEqual(Document.objects.get(pk=document.pk).title, "甲")

    def test_empty_body_is_refused_naming_the_field(self) -> None:
        document = self.notice()
        with self.assertRaisesMessage(ValidationError, "正文不能为空"):
            actions.edit_draft(document, actor=self.office, version=document.version, body=" ")

    def test_the_page_saves_and_says_why_not(self) -> None:
        document = self.notice()
        url = reverse("documents:detail", args=[document.pk])
        data = actions.clean_texts({k: getattr(document, k) for k in actions.TEXT_FIELDS})
        client = self.client_for(self.office)
        response = client.post(url, {**data, "title": "", "version": document.version})
        self.assertContains(response, "标题不能为空", status_code=400)
        response = client.post(url, {**data, "title": "改后的标题", "version": document.version})
        self.assertEqual(response.status_code, 302)
        self.assertEqual(Document.objects.get(pk=document.pk).title, "改后的标题")
        stale = client.post(url, {**data, "title": "再改", "version": document.version})
        self.assertContains(stale, "已被他人修改", status_code=409)


class TemplateTest(DocumentTestCase):
    def test_first_edit_copies_the_preset_then_updates(self) -> None:
        created = Event.objects.get(type=EventType.DOC_TEMPLATE_CREATED)
        self.assertEqual(created.details["number_prefix"], ["督通", "济政督"])
        actions.update_template(
            self.supervision, "notice", actor=self.office_head, issuer_mark="{office}督查通知"
        )
        updated = Event.objects.get(type=EventType.DOC_TEMPLATE_UPDATED)
        self.assertEqual(updated.details["issuer_mark"], ["{office}文件", "{office}督查通知"])
        preset = DocumentTemplate.objects.get(office_unit=None, kind="notice")
        self.assertEqual(preset.issuer_mark, "{office}文件")  # the preset is untouched

    def test_bad_values_are_refused_naming_the_field(self) -> None:
        cases = {
            "body_template": ("{data}{nonsense}", "正文含未知占位符 {nonsense}"),
            "title_template": ("关于{title", "标题中的花括号不成对"),
            "number_prefix": ("济政 督", "发文字号代字须为 1 至 20 个字"),
            "font_fallbacks": ("仿宋_GB2312", "替代字体第 1 行须写成「正式字体=替代字体」"),
            "signature": ("", "署名不能为空"),
        }
        for field, (value, message) in cases.items():
            with self.subTest(field), self.assertRaisesMessage(ValidationError, message):
                actions.update_template(
                    self.supervision, "notice", actor=self.office, **{field: value}
                )
        own = DocumentTemplate.objects.get(office_unit=self.supervision, kind="notice")
        self.assertEqual((own.number_prefix, own.signature), ("济政督", "{office}"))

    def test_the_page(self) -> None:
        url = reverse("documents:template", args=["reminder"])
        client = self.client_for(self.office)
        page = client.get(url)
        form = page.context["form"]
        data = {name: form.initial.get(name, "") for name in form.fields}
        data["use_fallback_fonts"] = ""
        response = client.post(url, {**data, "number_prefix": "济政督办"})
        self.assertEqual(response.status_code, 302)
        own = DocumentTemplate.objects.get(office_unit=self.supervision, kind="reminder")
        self.assertEqual(own.number_prefix, "济政督办")
        response = client.post(url, {**data, "body_template": "{oops}"})
        self.assertContains(response, "正文含未知占位符 {oops}", status_code=400)
