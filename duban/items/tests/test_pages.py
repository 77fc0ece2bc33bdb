"""Item pages: who may open them, which buttons they show, what a refused or stale submit does."""

from __future__ import annotations

import datetime as dt
import re
from typing import TYPE_CHECKING
from unittest import mock

from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from duban.audit.models import Event
from duban.audit.types import EventType
from duban.items import actions
from duban.items.access import available_actions
from duban.items.models import Item, ItemState, ItemUnit, Milestone
from duban.items.report_section import Facts
from duban.items.tests.base import ItemTestCase

if TYPE_CHECKING:
    from django.test.client import _MonkeyPatchedWSGIResponse as TestResponse

PERSONAS = (
    "admin",
    "office",
    "office_head",
    "leader",
    "lead_liaison",
    "lead_leader",
    "co_liaison",
    "sibling_liaison",
    "inspector",
    "auditor",
    "anonymous",
)
FAR = dt.date(2099, 12, 31)  # an explicit time limit that is never in the past


class PageTestCase(ItemTestCase):
    def as_(self, persona: str) -> Client:
        return self.client_for(None if persona == "anonymous" else getattr(self, persona))

    def url(self, name: str, item: Item | None = None) -> str:
        return reverse(f"items:{name}", args=[item.pk] if item else [])

    def act_url(self, item: Item, action: str) -> str:
        return reverse("items:act", args=[item.pk, action])

    def buttons(self, response: TestResponse) -> set[str]:
        return set(re.findall(r'data-action="([a-z_]+)"', response.content.decode()))

    def events(self, item: Item) -> int:
        return Event.objects.for_target(item).count()


class PermissionMatrixTest(PageTestCase):
    """Status per page and persona: 302 sign in, 404 outside scope, 403 in scope but not allowed."""

    def test_matrix(self) -> None:
        draft = self.draft()
        assigned = self.assigned(title="落实减税降费政策")
        pages = {
            "list": self.url("list"),
            "create": self.url("create"),
            "draft": self.url("detail", draft),
            "assigned": self.url("detail", assigned),
            "assign": self.url("assign", draft),
            "edit": self.url("edit", draft),
            "decompose": self.url("decompose", assigned),
            "milestone": self.url("milestone_add", assigned),
        }
        office_all = dict.fromkeys(pages, 200)
        unit_side = {
            "list": 200,
            "create": 403,
            "draft": 404,
            "assigned": 200,
            "assign": 404,
            "edit": 404,
            "decompose": 403,
            "milestone": 403,
        }
        reader = {**office_all, "create": 403, "assign": 403, "edit": 403}
        reader |= {"decompose": 403, "milestone": 403}
        nothing = {**dict.fromkeys(pages, 404), "list": 200, "create": 403}
        expected = {
            "admin": reader,
            "office": office_all,
            "office_head": office_all,
            "leader": reader,
            "lead_liaison": unit_side,
            "lead_leader": unit_side,
            "co_liaison": unit_side,
            "sibling_liaison": nothing,
            "inspector": nothing,
            "auditor": reader,
            "anonymous": dict.fromkeys(pages, 302),
        }
        for persona in PERSONAS:
            client = self.as_(persona)
            for page, url in pages.items():
                with self.subTest(persona=persona, page=page):
                    status = client.get(url).status_code
                    self.assertEqual(status, expected[persona][page])

    def test_sibling_liaison_sees_nothing_of_another_units_item(self) -> None:
        item = self.assigned()
        client = self.as_("sibling_liaison")
        self.assertEqual(client.get(self.url("detail", item)).status_code, 404)
        response = client.post(self.act_url(item, "acknowledge"), {"acknowledge-version": 1})
        self.assertEqual(response.status_code, 404)
        self.assertNotContains(client.get(self.url("list")), item.title)
        self.assertEqual(self.fresh(item).state, ItemState.ASSIGNED)


class ButtonsTest(PageTestCase):
    def assert_buttons_match(self, item: Item, personas: tuple[str, ...]) -> None:
        for persona in personas:
            with self.subTest(persona=persona, state=item.state):
                response = self.as_(persona).get(self.url("detail", item))
                user = self.refreshed(getattr(self, persona))
                # 审签 or 审批延期 need a report or a request waiting, as the page checks.
                facts = Facts.of(item)
                expected = {a for a in available_actions(user, item) if facts.offers(a)}
                self.assertEqual(self.buttons(response), expected)

    def test_buttons_per_persona_match_available_actions(self) -> None:
        seen = ("office", "office_head", "leader", "lead_liaison", "lead_leader", "co_liaison")
        item = self.draft()
        self.assert_buttons_match(item, seen)
        actions.submit_for_approval(item, actor=self.office)
        self.assert_buttons_match(item, seen)
        actions.approve(item, actor=self.office_head)
        actions.assign(item, actor=self.office, lead_unit=self.lead, co_units=[self.co])
        self.assert_buttons_match(item, seen)
        actions.acknowledge(item, actor=self.refreshed(self.lead_liaison))
        self.assert_buttons_match(item, seen)

    def test_liaison_sees_sign_and_decline_office_sees_none(self) -> None:
        item = self.assigned()
        liaison = self.buttons(self.as_("lead_liaison").get(self.url("detail", item)))
        self.assertTrue({"acknowledge", "decline"} <= liaison)
        office = self.buttons(self.as_("office").get(self.url("detail", item)))
        self.assertNotIn("acknowledge", office)
        self.assertIn("cancel", self.buttons(self.as_("office_head").get(self.url("detail", item))))


class ActionPostTest(PageTestCase):
    def test_acknowledge_through_the_page(self) -> None:
        item = self.assigned()
        response = self.as_("lead_liaison").post(
            self.act_url(item, "acknowledge"), {"acknowledge-version": item.version}
        )
        self.assertRedirects(response, self.url("detail", item))
        self.assertEqual(self.fresh(item).state, ItemState.IN_PROGRESS)

    def test_decline_without_reason_is_refused_and_changes_nothing(self) -> None:
        item = self.assigned()
        before = self.events(item)
        response = self.as_("lead_liaison").post(
            self.act_url(item, "decline"), {"decline-version": item.version, "decline-reason": " "}
        )
        self.assertContains(response, "退回理由不能为空。", status_code=400)
        self.assertRegex(response.content.decode(), r'name="decline-reason"[^>]*is-invalid')
        self.assertEqual(self.fresh(item).state, ItemState.ASSIGNED)
        self.assertEqual(self.events(item), before)

    def test_stale_version_is_a_conflict_and_changes_nothing(self) -> None:
        item = self.draft()
        seen = item.version
        actions.update_draft(item, actor=self.office, content="另一人先改了内容")
        before = self.events(item)
        response = self.as_("office").post(self.act_url(item, "submit"), {"submit-version": seen})
        self.assertContains(response, "已被他人修改,请刷新后重试", status_code=409)
        fresh = self.fresh(item)
        self.assertEqual((fresh.state, fresh.version), (ItemState.DRAFT, item.version))
        self.assertEqual(self.events(item), before)
        # The re-rendered buttons carry the new version, so pressing again works.
        self.assertContains(response, f'value="{item.version}"', status_code=409)

    def test_stale_page_after_the_state_moved_on(self) -> None:
        item = self.assigned()
        seen = item.version
        actions.acknowledge(item, actor=self.refreshed(self.lead_liaison))
        response = self.as_("lead_liaison").post(
            self.act_url(item, "decline"), {"decline-version": seen, "decline-reason": "非本单位"}
        )
        self.assertContains(response, "已被他人修改", status_code=409)
        self.assertEqual(self.fresh(item).state, ItemState.IN_PROGRESS)

    def test_reason_is_recorded_in_readable_timeline(self) -> None:
        item = self.assigned()
        response = self.as_("lead_liaison").post(
            self.act_url(item, "decline"),
            {"decline-version": item.version, "decline-reason": "职责不属本单位"},
        )
        # The declining unit no longer sees the item: it lands on 台账, not on a 404.
        self.assertRedirects(response, self.url("list"))
        response = self.as_("office").get(self.url("detail", item))
        timeline = response.content.decode().split('id="item-timeline"')[1]
        self.assertIn("状态:已交办 → 拟办", timeline)
        self.assertIn("理由:职责不属本单位", timeline)
        self.assertIn("单位:市发改委", timeline)

    def test_handling_units_see_the_items_timeline(self) -> None:
        """The audit log's own scope is for offices; the handlers still see their item's history."""
        item = self.assigned()
        for persona in ("lead_liaison", "lead_leader", "office"):
            response = self.as_(persona).get(self.url("detail", item))
            timeline = response.content.decode().split('id="item-timeline"')[1]
            self.assertIn("状态:拟办 → 已交办", timeline, persona)

    def test_unknown_action_is_404(self) -> None:
        item = self.draft()
        url = self.act_url(item, "explode")
        self.assertEqual(self.as_("office").post(url, {}).status_code, 404)


class FormPagesTest(PageTestCase):
    def test_create_item(self) -> None:
        response = self.as_("office").post(
            self.url("create"),
            {
                "owner_unit": self.supervision.pk,
                "source": "document",
                "title": "贯彻落实优化营商环境文件",
                "content": "逐条落实",
                "doc_number": "济政办发〔2016〕30号",
                "scope": "comprehensive",
                "urgency": "urgent",
                "confidentiality": "internal",
                "time_limit": "2099-06-30",
            },
        )
        item = Item.objects.get(title="贯彻落实优化营商环境文件")
        self.assertRedirects(response, self.url("detail", item))
        self.assertEqual(
            (item.doc_number, item.time_limit), ("济政办发〔2016〕30号", dt.date(2099, 6, 30))
        )
        self.assertEqual(item.created_by, self.office)

    def test_create_refuses_empty_title_naming_the_field(self) -> None:
        data = {"owner_unit": self.supervision.pk, "source": "other", "title": ""}
        data |= {"scope": "daily", "urgency": "normal", "confidentiality": "internal"}
        response = self.as_("office").post(self.url("create"), data)
        self.assertContains(response, "事项名称不能为空。", status_code=400)
        self.assertIn("title", response.context["form"].errors)
        self.assertFalse(Item.objects.exists())

    def test_assign_through_the_form(self) -> None:
        item = self.draft()
        response = self.as_("office").post(
            self.url("assign", item),
            {
                "version": item.version,
                "lead_unit": self.lead.pk,
                "co_units": [self.co.pk],
                "responsible_leader": "王副市长",
                "owner_name": "李主任",
                "start": timezone.localdate().isoformat(),
                "time_limit": FAR.isoformat(),
            },
        )
        self.assertRedirects(response, self.url("detail", item))
        fresh = self.fresh(item)
        self.assertEqual(
            (fresh.state, fresh.lead_unit, fresh.due_date), ("assigned", self.lead, FAR)
        )
        self.assertEqual((fresh.responsible_leader, fresh.owner_name), ("王副市长", "李主任"))
        co = ItemUnit.objects.get(item=item, role="co")
        self.assertEqual(co.unit, self.co)

    def test_assign_offers_only_units_in_scope(self) -> None:
        item = actions.create_item(
            actor=self.district_office,
            owner_unit=self.district,
            title="镇街道路整治",
            source="other",
        )
        response = self.as_("district_office").get(self.url("assign", item))
        offered = set(response.context["form"].fields["lead_unit"].queryset)
        self.assertEqual(offered, {self.district, self.town})
        posted = self.as_("district_office").post(
            self.url("assign", item),
            {"version": item.version, "lead_unit": self.lead.pk, "start": "2026-01-05"},
        )
        self.assertContains(posted, "请从列表中选择主办单位。", status_code=400)
        self.assertEqual(self.fresh(item).state, ItemState.DRAFT)

    def test_assign_with_stale_version_is_409(self) -> None:
        item = self.draft()
        seen = item.version
        actions.update_draft(item, actor=self.office, content="先改")
        response = self.as_("office").post(
            self.url("assign", item),
            {
                "version": seen,
                "lead_unit": self.lead.pk,
                "start": "2026-01-05",
                "time_limit": "2099-01-01",
            },
        )
        self.assertContains(response, "已被他人修改", status_code=409)
        self.assertEqual(self.fresh(item).state, ItemState.DRAFT)

    def test_assign_after_someone_else_assigned_is_409(self) -> None:
        item = self.draft()
        seen = item.version
        actions.assign(item, actor=self.office_head, lead_unit=self.co, time_limit=FAR)
        data = {"version": seen, "lead_unit": self.lead.pk, "start": "2026-01-05"}
        response = self.as_("office").post(self.url("assign", item), data)
        self.assertContains(response, "已被他人修改", status_code=409)
        self.assertEqual(self.fresh(item).lead_unit, self.co)
        # Without a stale version it is simply not allowed any more.
        data["version"] = item.version
        response = self.as_("office").post(self.url("assign", item), data)
        self.assertEqual(response.status_code, 403)

    def test_decompose_per_unit_assigns_the_child(self) -> None:
        parent = self.assigned()
        response = self.as_("office").post(
            self.url("decompose", parent),
            {
                "version": parent.version,
                "basis": "unit",
                "title": "住建局牵头改造 20 个小区",
                "content": "年底前完成",
                "time_limit": FAR.isoformat(),
                "owner_name": "赵科长",
                "lead_unit": self.co.pk,
            },
        )
        child = Item.objects.get(parent=parent)
        self.assertRedirects(response, self.url("detail", child))
        self.assertEqual((child.state, child.lead_unit, child.due_date), ("assigned", self.co, FAR))
        self.assertEqual(child.source, parent.source)
        self.assertTrue(
            Event.objects.for_target(parent).filter(type=EventType.ITEM_DECOMPOSED).exists()
        )
        self.assertContains(self.as_("office").get(self.url("detail", parent)), child.title)

    def test_decompose_per_milestone_takes_its_target_and_date(self) -> None:
        parent = self.draft()
        actions.add_milestone(parent, actor=self.office, title="完成方案编制", due_date=FAR)
        milestone = Milestone.objects.get(item=parent)
        response = self.as_("office").post(
            self.url("decompose", parent),
            {
                "version": parent.version,
                "basis": "milestone",
                "milestone": milestone.pk,
                "owner_name": "钱",
            },
        )
        child = Item.objects.get(parent=parent)
        self.assertRedirects(response, self.url("detail", child))
        self.assertEqual(
            (child.title, child.time_limit, child.state), ("完成方案编制", FAR, "draft")
        )

    def test_decompose_per_unit_needs_a_unit(self) -> None:
        parent = self.draft()
        response = self.as_("office").post(
            self.url("decompose", parent),
            {
                "version": parent.version,
                "basis": "unit",
                "title": "子任务",
                "time_limit": "2099-01-01",
                "owner_name": "钱",
            },
        )
        self.assertContains(response, "按单位分解须选择主办单位。", status_code=400)
        self.assertFalse(Item.objects.filter(parent=parent).exists())

    def test_add_milestone(self) -> None:
        item = self.assigned()
        response = self.as_("office").post(
            self.url("milestone_add", item),
            {"version": item.version, "title": "完成选址", "due_date": "2099-03-01"},
        )
        self.assertRedirects(response, self.url("detail", item))
        self.assertContains(self.as_("office").get(self.url("detail", item)), "完成选址")


class ListTest(PageTestCase):
    def make(self, count: int) -> None:
        for n in range(count):
            item = self.draft(title=f"事项{n:03d}", doc_number=f"济政办发〔2026〕{n}号")
            actions.assign(
                item, actor=None, lead_unit=self.lead, co_units=[self.co], time_limit=FAR
            )

    def test_constant_queries_over_page_sizes(self) -> None:
        self.make(60)
        client = self.as_("office")
        for sort in ("due", "-created"):  # the second found by id first on PostgreSQL
            counts = []
            for per in (20, 50, 100):
                with CaptureQueriesContext(connection) as queries:
                    response = client.get(self.url("list"), {"per": per, "sort": sort})
                self.assertEqual(len(response.context["page"].object_list), min(per, 60))
                self.assertContains(response, "市住建局")
                counts.append(len(queries))
            self.assertEqual(len(set(counts)), 1, (sort, counts))

    def test_import_linked_for_the_office_only(self) -> None:
        self.assertContains(self.as_("office").get(self.url("list")), 'id="item-import"')
        self.assertNotContains(self.as_("lead_liaison").get(self.url("list")), 'id="item-import"')

    def test_filters_and_total(self) -> None:
        self.make(3)
        self.draft(title="群众反映噪声扰民", source="complaint")
        client = self.as_("office")
        response = client.get(self.url("list"), {"source": "complaint"})
        self.assertEqual(response.context["page"].paginator.count, 1)
        response = client.get(self.url("list"), {"q": "〔2026〕1号"})
        self.assertEqual([i.title for i in response.context["page"]], ["事项001"])
        response = client.get(
            self.url("list"), {"state": "assigned", "lead_unit": str(self.lead.pk)}
        )
        self.assertEqual(response.context["page"].paginator.count, 3)
        self.assertContains(response, "共 3 件")

    def test_overdue_filter(self) -> None:
        late = self.assigned(title="逾期事项")  # due 2025-10-11
        self.make(1)
        response = self.as_("office").get(self.url("list"), {"due": "overdue"})
        self.assertEqual([i.pk for i in response.context["page"]], [late.pk])


class LightAndOutcomeTest(PageTestCase):
    def test_light_column_filter_and_header(self) -> None:
        late = self.assigned(title="逾期事项")  # due 2025-10-11: red
        fine = self.draft(title="远期事项")
        actions.assign(fine, actor=self.office, lead_unit=self.lead, time_limit=FAR)
        client = self.as_("office")
        response = client.get(self.url("list"), {"light": "red"})
        self.assertEqual([i.pk for i in response.context["page"]], [late.pk])
        self.assertContains(response, 'data-light="red"')
        response = client.get(self.url("list"), {"light": "green"})
        self.assertEqual([i.pk for i in response.context["page"]], [fine.pk])
        self.assertContains(client.get(self.url("detail", late)), 'data-light="red"')

    def test_accept_records_the_outcome(self) -> None:
        item = self.assigned()
        Item.objects.filter(pk=item.pk).update(state=ItemState.SUBMITTED)
        item = self.fresh(item)
        url = self.act_url(item, "accept")
        response = self.as_("office").post(
            url, {"accept-version": item.version, "accept-outcome": "B"}
        )
        self.assertContains(response, "跟踪办理日期", status_code=400)
        self.assertEqual(self.fresh(item).state, ItemState.SUBMITTED)
        response = self.as_("office").post(
            url, {"accept-version": item.version, "accept-outcome": "A"}
        )
        self.assertRedirects(response, self.url("detail", item))
        fresh = self.fresh(item)
        self.assertEqual((fresh.state, fresh.outcome), (ItemState.COMPLETED, "A"))


class WorkbenchTest(PageTestCase):
    def todo(self, persona: str, key: str) -> tuple[int, list[str]]:
        panel = self.as_(persona).get("/").context["panels"]
        todos = next(p.context["todos"] for p in panel if p.template == "items/panel_todos.html")
        found = next(t for t in todos if t.key == key)
        return found.count, [item.title for item in found.items]

    def test_liaison_to_sign_and_overdue(self) -> None:
        item = self.assigned()
        self.assertEqual(self.todo("lead_liaison", "sign"), (1, [item.title]))
        self.assertEqual(self.todo("co_liaison", "sign"), (1, [item.title]))
        self.assertEqual(self.todo("sibling_liaison", "sign"), (0, []))
        self.assertEqual(self.todo("office", "overdue"), (1, [item.title]))
        actions.acknowledge(item, actor=self.refreshed(self.lead_liaison))
        self.assertEqual(self.todo("lead_liaison", "sign")[0], 0)
        self.assertEqual(self.todo("co_liaison", "sign")[0], 1)

    def test_office_review_and_head_approval(self) -> None:
        pending = self.draft(title="待审定事项")
        actions.submit_for_approval(pending, actor=self.office)
        self.assertEqual(self.todo("office_head", "approve"), (1, ["待审定事项"]))
        self.assertEqual(self.todo("leader", "approve"), (1, ["待审定事项"]))
        item = self.assigned()
        Item.objects.filter(pk=item.pk).update(state=ItemState.SUBMITTED)
        self.assertEqual(self.todo("office", "review"), (1, [item.title]))
        keys = {
            t.key
            for p in self.as_("lead_liaison").get("/").context["panels"]
            for t in p.context.get("todos", [])
        }
        self.assertNotIn("review", keys)


class TodoListTest(PageTestCase):
    """The 工作台 shows five of a to-do list; 查看全部 lists them all (items/todo_views)."""

    def test_the_whole_list_behind_the_first_five(self) -> None:
        items = [self.assigned(title=f"待签收事项{n}") for n in range(7)]
        panel = self.as_("lead_liaison").get("/")
        self.assertContains(panel, 'href="/items/todo/sign/">查看全部 7 件</a>')
        page = self.as_("lead_liaison").get(reverse("items:todo", args=["sign"]))
        self.assertEqual([i.pk for i in page.context["page"]], [i.pk for i in items])
        self.assertContains(page, "共 7 件")
        self.assertEqual(page.context["title"], "待签收")
        # The co-unit's liaison has the same seven; the sibling unit's has none to sign.
        co = self.as_("co_liaison").get(reverse("items:todo", args=["sign"]))
        self.assertEqual(len(co.context["page"]), 7)
        sibling = self.as_("sibling_liaison").get(reverse("items:todo", args=["sign"]))
        self.assertEqual(list(sibling.context["page"]), [])
        # Signed for, an item leaves the lead unit's list and stays on the co-unit's.
        actions.acknowledge(items[0], actor=self.refreshed(self.lead_liaison))
        page = self.as_("lead_liaison").get(reverse("items:todo", args=["sign"]))
        self.assertEqual(len(page.context["page"]), 6)

    def test_the_overdue_list_in_due_date_order_with_its_lights(self) -> None:
        """On PostgreSQL the liaison's list comes from their unit's reach rows (row_list)."""
        items = [self.assigned(title=f"逾期事项{n}") for n in range(7)]
        for n, item in enumerate(items):
            due = dt.date(2020, 1, 1) + dt.timedelta(days=(n * 5) % 7)
            Item.objects.filter(pk=item.pk).update(due_date=due)
        expected = sorted(items, key=lambda i: ((items.index(i) * 5) % 7, i.pk))
        listed = self.as_("lead_liaison").get(reverse("items:todo", args=["overdue"]))
        self.assertContains(listed, "共 7 件")
        self.assertEqual([i.pk for i in listed.context["page"]], [i.pk for i in expected])
        self.assertEqual({i.light for i in listed.context["page"]}, {"red"})
        self.assertContains(
            self.as_("office").get("/"), 'href="/items/todo/overdue/">查看全部 7 件'
        )

    def test_a_long_list_is_counted_up_to_the_cap_on_the_workbench(self) -> None:
        for n in range(7):
            self.assigned(title=f"待签收事项{n}")
        with mock.patch("duban.items.workbench.COUNT_CAP", 6):
            panel = self.as_("lead_liaison").get("/")
            self.assertContains(panel, 'todo-count">5+</span>')
            self.assertContains(panel, ">查看全部 5+ 件</a>")
            # The full list still says exactly how many.
            page = self.as_("lead_liaison").get(reverse("items:todo", args=["sign"]))
            self.assertContains(page, "共 7 件")
        self.assertContains(self.as_("lead_liaison").get("/"), 'todo-count">7</span>')

    def test_the_office_registers_or_imports_from_its_workbench(self) -> None:
        for persona in ("office", "office_head"):
            home = self.as_(persona).get("/")
            self.assertContains(home, 'href="/items/new/" id="todo-register"')
            self.assertContains(home, 'href="/items/import/" id="todo-import"')
        liaison = self.as_("lead_liaison").get("/")
        self.assertNotContains(liaison, 'id="todo-register"')
        self.assertNotContains(liaison, 'id="todo-import"')

    def test_a_list_that_is_not_the_persons_is_not_found(self) -> None:
        self.assigned()
        self.assertEqual(self.as_("lead_liaison").get("/items/todo/review/").status_code, 404)
        self.assertEqual(self.as_("office").get("/items/todo/nothing/").status_code, 404)
        review = self.as_("office").get("/items/todo/review/")
        self.assertContains(review, 'href="/items/?state=submitted" id="todo-ledger"')
        anonymous = self.as_("anonymous").get("/items/todo/sign/")
        self.assertEqual(anonymous.status_code, 302)

    def test_queries_do_not_grow_with_the_rows(self) -> None:
        def queries() -> int:
            with CaptureQueriesContext(connection) as captured:
                response = self.as_("lead_liaison").get("/items/todo/sign/")
            self.assertEqual(response.status_code, 200)
            return len(captured)

        self.assigned(title="一件")
        few = queries()
        for n in range(6):
            self.assigned(title=f"又一件{n}")
        self.assertEqual(queries(), few)


class ChildActionTest(PageTestCase):
    def test_liaison_may_not_decompose(self) -> None:
        from django.core.exceptions import PermissionDenied

        parent = self.assigned()
        with self.assertRaises(PermissionDenied):
            actions.create_child(
                parent,
                actor=self.refreshed(self.lead_liaison),
                title="x",
                time_limit=FAR,
                owner_name="y",
                lead_unit=self.lead,
            )

    def test_closed_parent_refuses_children_and_milestones(self) -> None:
        from django.core.exceptions import ValidationError

        parent = self.draft()
        actions.cancel(parent, actor=self.office_head, reason="重复登记")
        with self.assertRaises(ValidationError) as caught:
            actions.add_milestone(parent, actor=self.office, title="x", due_date=FAR)
        self.assertIn("已撤销", caught.exception.message_dict["state"][0])
        self.assertFalse(Milestone.objects.exists())

    def test_secret_parent_passes_its_named_people_on(self) -> None:
        parent = self.draft(confidentiality="secret", named_people=[self.office_head])
        child = actions.create_child(
            parent,
            actor=self.office,
            title="涉密子任务",
            time_limit=FAR,
            owner_name="y",
            basis="milestone",
        )
        self.assertEqual(child.confidentiality, "secret")
        self.assertEqual(list(child.named_people.all()), [self.office_head])
