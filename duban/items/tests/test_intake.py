"""Intake from every source, each with its own facts (issue 4 item 1; seed 004 第六条).

The rules are items/intake.py's table; these tests hold the actions, the form pages, the item page,
the API and the spreadsheet import to it.
"""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from duban.api.tests.base import ApiTestCase
from duban.audit.models import Event
from duban.audit.types import EventType
from duban.items import actions, intake
from duban.items.importer import import_items
from duban.items.models import Item, ItemSource, ItemState
from duban.items.tests.base import FACTS, ItemTestCase
from duban.items.tests.test_import import xlsx
from duban.org import actions as org_actions

S = ItemSource
DAY = dt.date(2026, 3, 2)
PASSWORD = "Browser-Test-2026"

# (source, the fact left out, the refusal naming it)
REQUIRED = [
    (S.LEADER_INSTRUCTION, "source_person", "来源为「领导批示」时须填写批示领导。"),
    (S.LEADER_INSTRUCTION, "source_text", "来源为「领导批示」时须填写批示内容。"),
    (S.MEETING, "meeting_kind", "来源为「会议议定」时须填写会议类型。"),
    (S.MEETING, "source_date", "来源为「会议议定」时须填写会议日期。"),
    (S.DOCUMENT, "doc_number", "来源为「重要文件」时须填写文号。"),
    (S.WORK_REPORT, "source_text", "来源为「政府工作报告」时须填写目标任务。"),
    (S.NPC_SUGGESTION, "source_number", "来源为「人大建议」时须填写建议编号。"),
    (S.NPC_SUGGESTION, "source_person", "来源为「人大建议」时须填写提出建议的人大代表。"),
    (S.CPPCC_PROPOSAL, "source_number", "来源为「政协提案」时须填写提案编号。"),
    (S.CPPCC_PROPOSAL, "source_person", "来源为「政协提案」时须填写提案的政协委员。"),
]


def refusal(error: ValidationError) -> dict[str, list[str]]:
    return error.message_dict


class RequiredFactsTest(ItemTestCase):
    def register(self, source: str, **facts: Any) -> Item:
        return actions.create_item(
            actor=self.office, owner_unit=self.supervision, title="事项", source=source, **facts
        )

    def test_each_source_refuses_a_missing_fact_by_name_and_creates_nothing(self) -> None:
        for source, field, message in REQUIRED:
            with self.subTest(source=source, field=field):
                facts = {k: v for k, v in FACTS[source].items() if k != field}
                with self.assertRaises(ValidationError) as caught:
                    self.register(source, **facts)
                self.assertEqual(refusal(caught.exception), {field: [message]})
        self.assertFalse(Item.objects.exists())
        self.assertFalse(Event.objects.filter(type=EventType.ITEM_CREATED).exists())

    def test_every_missing_fact_is_named_at_once(self) -> None:
        with self.assertRaises(ValidationError) as caught:
            self.register(S.MEETING)
        self.assertEqual(set(refusal(caught.exception)), {"meeting_kind", "source_date"})

    def test_every_source_registers_with_its_facts(self) -> None:
        for source in S.values:
            with self.subTest(source=source):
                item = self.register(source, **FACTS.get(source, {}))
                self.assertEqual(item.state, ItemState.DRAFT)
        # 重点项目, 上级交办, 群众举报 and 其他 need no facts of their own.
        self.assertEqual(Item.objects.count(), len(S.values))

    def test_a_leader_instruction_needs_no_date(self) -> None:
        item = self.register(S.LEADER_INSTRUCTION, source_person="张市长", source_text="请落实。")
        self.assertIsNone(item.source_date)

    def test_lengths_and_meeting_kind_are_checked(self) -> None:
        with self.assertRaises(ValidationError) as caught:
            self.register(S.NPC_SUGGESTION, source_number="1", source_person="李" * 101)
        self.assertEqual(
            refusal(caught.exception),
            {"source_person": ["批示领导或代表委员不能超过 100 个字符。"]},
        )
        with self.assertRaises(ValidationError) as caught:
            self.register(S.MEETING, meeting_kind="weekly", source_date=DAY)
        self.assertIn("会议类型须为以下之一:全体会议", refusal(caught.exception)["meeting_kind"][0])


class DocNumberTest(ItemTestCase):
    def document(self, doc_number: str, source: str = S.DOCUMENT) -> Item:
        return actions.create_item(
            actor=self.office,
            owner_unit=self.supervision,
            title="贯彻落实文件",
            source=source,
            doc_number=doc_number,
        )

    def test_well_formed_and_normalised(self) -> None:
        for typed in (
            "济政办发〔2016〕30号",
            "济政办发[2016]30号",
            "济政办发（2016）30号",
            "济政办发(2016)30号",
            "济政办发 【2016】 30号",
        ):
            with self.subTest(typed=typed):
                self.assertEqual(self.document(typed).doc_number, "济政办发〔2016〕30号")

    def test_malformed_refused_with_the_example(self) -> None:
        for typed in (
            "济政办发2016年30号",
            "济政办发〔2016〕30",
            "〔2016〕30号",
            "济政办发〔16〕30号",
        ):
            with self.subTest(typed=typed):
                with self.assertRaises(ValidationError) as caught:
                    self.document(typed)
                expected = f"文号「{typed}」格式不正确,应如 济政办发〔2016〕30号。"
                self.assertEqual(refusal(caught.exception), {"doc_number": [expected]})
        self.assertFalse(Item.objects.exists())

    def test_checked_where_the_source_names_one(self) -> None:
        # A 上级交办's 交办文号 is optional but must be well formed when given.
        with self.assertRaises(ValidationError):
            self.document("省政督函2026第3号", source=S.SUPERIOR)
        self.assertEqual(self.document("", source=S.SUPERIOR).doc_number, "")
        # Elsewhere the 文号 is whatever the paper says (a 批示件's own number, say).
        item = self.document("市长批示件第12号", source=S.OTHER)
        self.assertEqual(item.doc_number, "市长批示件第12号")

    def test_the_importer_shares_the_rule(self) -> None:
        from duban.items import importer

        self.assertIs(importer.DOC_RE, intake.DOC_RE)
        self.assertIs(importer.normalise_doc_number, intake.normalise_doc_number)


class IrrelevantFactsTest(ItemTestCase):
    def test_facts_of_another_source_are_cleared_on_registration(self) -> None:
        item = self.draft(
            source=S.DOCUMENT,
            source_person="张市长",
            meeting_kind="standing",
            source_number="〔2026〕3号",
            source_date=DAY,
        )
        item = self.fresh(item)
        self.assertEqual((item.source_person, item.meeting_kind, item.source_number), ("", "", ""))
        self.assertEqual(item.source_date, DAY)  # 印发日期 is a document's fact
        created = Event.objects.for_target(item).get(type=EventType.ITEM_CREATED)
        self.assertEqual(
            created.details["doc_number"], "济政办发〔2016〕30号", "the facts are in the event"
        )
        self.assertNotIn("source_person", created.details)

    def test_changing_a_drafts_source_clears_the_old_facts(self) -> None:
        item = self.draft()  # 领导批示 by 张市长
        actions.update_draft(
            item, actor=self.office, source=S.MEETING, meeting_kind="topical", source_date=DAY
        )
        item = self.fresh(item)
        self.assertEqual((item.source_person, item.source_text), ("", ""))
        self.assertEqual((item.meeting_kind, item.source_date), ("topical", DAY))
        updated = Event.objects.for_target(item).get(type=EventType.ITEM_UPDATED)
        self.assertEqual(updated.details["source_person"], ["张市长", ""])

    def test_changing_the_source_without_its_facts_is_refused(self) -> None:
        item = self.draft()
        with self.assertRaises(ValidationError) as caught:
            actions.update_draft(item, actor=self.office, source=S.NPC_SUGGESTION)
        self.assertEqual(set(refusal(caught.exception)), {"source_number", "source_person"})
        self.assertEqual(self.fresh(item).source, S.LEADER_INSTRUCTION)
        self.assertEqual(self.fresh(item).source_person, "张市长")

    def test_an_edit_merges_with_the_items_facts(self) -> None:
        item = self.draft(source=S.MEETING)
        actions.update_draft(item, actor=self.office, source_number="〔2026〕12号")
        self.assertEqual(self.fresh(item).meeting_kind, "standing")
        with self.assertRaises(ValidationError) as caught:
            actions.update_draft(self.fresh(item), actor=self.office, source_date=None)
        self.assertEqual(
            refusal(caught.exception), {"source_date": ["来源为「会议议定」时须填写会议日期。"]}
        )


class ImportedItemsTest(ItemTestCase):
    """The 台账 has no columns for a source's facts: import does not require them."""

    def test_a_leader_instruction_row_imports_and_is_completed_later(self) -> None:
        row = [1, "推进老旧小区改造", "领导批示", "", "", "", "张副市长", "", "", ""]
        result = import_items(xlsx([row]), actor=self.office, owner_unit=self.supervision)
        self.assertTrue(result.ok, result.errors)
        item = Item.objects.get()
        self.assertEqual(item.source_person, "")
        # The assign page's 责任领导 update touches no source fact: not blocked.
        actions.update_draft(item, actor=self.office, responsible_leader="王副市长")
        # Completing the facts on the edit page is held to the rule.
        with self.assertRaises(ValidationError):
            actions.update_draft(self.fresh(item), actor=self.office, source_person="张市长")
        actions.update_draft(
            self.fresh(item), actor=self.office, source_person="张市长", source_text="请落实。"
        )
        self.assertEqual(self.fresh(item).source_person, "张市长")

    def test_a_malformed_document_number_is_still_refused(self) -> None:
        row = [1, "贯彻文件", "重要文件", "济政办发2016年30号", "", "", "", "", "", ""]
        result = import_items(xlsx([row]), actor=self.office, owner_unit=self.supervision)
        self.assertEqual(
            [str(e) for e in result.errors],
            ["第2行 [文号] 文号「济政办发2016年30号」格式不正确,应如 济政办发〔2016〕30号。"],
        )

    def test_a_sub_item_inherits_the_facts(self) -> None:
        parent = self.assigned()
        child = actions.create_child(
            parent,
            actor=self.office,
            title="子任务",
            time_limit=dt.date(2099, 6, 30),
            owner_name="李科长",
            lead_unit=self.lead,
        )
        self.assertEqual((child.source_person, child.source_text), ("张市长", "请抓紧研究落实。"))


class IntakePagesTest(ItemTestCase):
    def url(self, name: str, item: Item | None = None) -> str:
        return reverse(f"items:{name}", args=[item.pk] if item else [])

    def form(self, **data: Any) -> dict[str, Any]:
        base = {
            "owner_unit": self.supervision.pk,
            "title": "落实张市长关于老旧小区改造的批示",
            "scope": "daily",
            "urgency": "normal",
            "confidentiality": "internal",
        }
        return base | data

    def test_the_form_groups_the_source_facts_and_works_without_script(self) -> None:
        response = self.client_for(self.office).get(self.url("create"))
        html = response.content.decode()
        self.assertContains(response, '<legend class="h4 mb-3">来源信息</legend>', html=False)
        self.assertIn("/static/items/intake.js", html)
        form = response.context["form"]
        legends = [legend for legend, _fields in form.fieldsets()]
        self.assertEqual(legends, ["", "来源信息", "事项信息"])
        source_set = [f.name for f in form.fieldsets()[1][1]]
        self.assertEqual(source_set, ["source", "doc_number", *intake.COLUMNS])
        # Without the script every fact is on the page, each saying which sources use it.
        self.assertIn("适用于 领导批示:批示领导(必填)", str(form["source_person"].help_text))
        labels = json.loads(form["source_person"].field.widget.attrs["data-source-labels"])
        self.assertEqual(labels["npc_suggestion"], "提出建议的人大代表")

    def test_register_through_the_page_and_see_the_facts(self) -> None:
        client = self.client_for(self.office)
        data = self.form(
            source="leader_instruction",
            source_person="张市长",
            source_text="请市住建局牵头,年内完成。",
            source_date="2026-03-02",
            meeting_kind="standing",  # left over from another choice: dropped
        )
        response = client.post(self.url("create"), data)
        item = Item.objects.get()
        self.assertRedirects(response, self.url("detail", item))
        self.assertEqual(item.meeting_kind, "")
        page = client.get(self.url("detail", item)).content.decode()
        for text in ("批示领导", "张市长", "批示内容", "请市住建局牵头,年内完成。", "2026-03-02"):
            self.assertIn(text, page)
        self.assertIn("批示领导:张市长", page)  # the timeline's 登记 entry

    def test_the_page_names_the_missing_fact(self) -> None:
        response = self.client_for(self.office).post(
            self.url("create"), self.form(source="npc_suggestion", source_number="第0123号")
        )
        self.assertContains(
            response, "来源为「人大建议」时须填写提出建议的人大代表。", status_code=400
        )
        self.assertIn("source_person", response.context["form"].errors)
        self.assertFalse(Item.objects.exists())

    def test_edit_a_draft_to_another_source(self) -> None:
        item = self.draft()
        client = self.client_for(self.office)
        edit = client.get(self.url("edit", item))
        self.assertEqual(edit.context["form"]["source_person"].value(), "张市长")
        data = self.form(
            version=item.version,
            title=item.title,
            source="meeting",
            meeting_kind="standing",
            source_date="2026-03-02",
            source_number="〔2026〕12号",
            source_person="张市长",  # still in the hidden field: cleared by the action
        )
        response = client.post(self.url("edit", item), data)
        self.assertRedirects(response, self.url("detail", item))
        item = self.fresh(item)
        self.assertEqual((item.source, item.source_person), (S.MEETING, ""))
        page = client.get(self.url("detail", item)).content.decode()
        for text in ("会议类型", "常务会议", "会议日期", "会议纪要号", "〔2026〕12号"):
            self.assertIn(text, page)


class IntakeApiTest(ApiTestCase):
    def test_create_with_facts_and_read_them_back(self) -> None:
        body = {
            "title": "市人大代表建议第123号:关于城区停车难问题的建议",
            "source": "npc_suggestion",
            "source_number": "第0123号",
            "source_person": "王建华代表",
        }
        response = self.post(self.office, "/items", body)
        self.assertEqual(response.status_code, 201, response.content.decode())
        item = self.get(self.office, f"/items/{response.json()['id']}").json()
        self.assertEqual((item["source_number"], item["source_person"]), ("第0123号", "王建华代表"))
        self.assertEqual((item["meeting_kind"], item["source_date"]), ("", None))

    def test_create_refuses_missing_facts_by_field(self) -> None:
        body = {"title": "常务会议议定事项", "source": "meeting", "meeting_kind": "standing"}
        payload = self.assertRefused(self.post(self.office, "/items", body), 400, "invalid")
        self.assertEqual(
            payload["fields"], {"source_date": ["来源为「会议议定」时须填写会议日期。"]}
        )
        self.assertFalse(Item.objects.exists())

    def test_edit_a_draft_changing_the_source(self) -> None:
        item = self.draft()
        body = {"source": "meeting", "meeting_kind": "on_site", "source_date": "2026-03-02"}
        response = self.act(self.office, item, "edit", **body)
        self.assertEqual(response.status_code, 200, response.content.decode())
        answer = response.json()
        self.assertEqual(
            (answer["source"], answer["meeting_kind_label"]), ("meeting", "现场办公会议")
        )
        self.assertEqual((answer["source_person"], answer["title"]), ("", item.title))

    def test_edit_refusals(self) -> None:
        item = self.draft()
        refused = self.act(self.office, item, "edit", source="document", doc_number="30号")
        self.assertRefused(refused, 400, "invalid")
        stale = self.post(self.office, f"/items/{item.pk}/edit", {"version": 99, "title": "新"})
        self.assertRefused(stale, 409, "conflict")
        assigned = self.assigned(title="已交办")
        edit = self.act(self.office, assigned, "edit", title="改")
        self.assertRefused(edit, 409, "illegal_transition")


@pytest.mark.browser
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_the_form_shows_the_chosen_sources_facts(browser: Any, live_server: Any) -> None:
    city = org_actions.create_unit(actor=None, code="B", name="浏览器市", kind="other")
    office = org_actions.create_user(
        actor=None, username="office", full_name="周督查", password=PASSWORD
    )
    org_actions.grant_role(office, city, "office", actor=None, scope=city)
    context = browser.new_context(locale="zh-CN", timezone_id="Asia/Shanghai")
    page = context.new_page()
    page.goto(f"{live_server.url}/")
    page.fill("input[name=username]", "office")
    page.fill("input[name=password]", PASSWORD)
    page.click("#login-form button[type=submit]")
    page.goto(f"{live_server.url}{reverse('items:create')}")

    def label(field: str) -> str:
        return str(page.locator(f"label[for=id_{field}]").inner_text())

    page.select_option("select[name=source]", "meeting")
    assert page.locator("[data-field=source_person]").is_hidden()
    assert label("source_date") == "会议日期"
    assert "required" in str(page.locator("label[for=id_meeting_kind]").get_attribute("class"))
    page.select_option("select[name=source]", "npc_suggestion")
    assert page.locator("[data-field=meeting_kind]").is_hidden()
    assert (label("source_number"), label("source_person")) == ("建议编号", "提出建议的人大代表")
    page.select_option("select[name=source]", "key_project")
    assert all(page.locator(f"[data-field={f}]").is_hidden() for f in intake.COLUMNS)
    assert page.locator("[data-field=doc_number]").is_visible()
    page.select_option("select[name=source]", "document")
    assert "required" in str(page.locator("label[for=id_doc_number]").get_attribute("class"))
    page.fill("input[name=title]", "贯彻落实优化营商环境文件")
    page.fill("input[name=doc_number]", "示政办发[2026]15号")
    page.click("#item-form button[type=submit]")
    assert "示政办发〔2026〕15号" in page.locator("#item-header").inner_text()
    context.close()
