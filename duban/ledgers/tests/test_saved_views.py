"""专项台账: saved filters shared within an office, changed only through audited actions by their
creator or that office's heads (seed 001 第二十二条「综合台账+专项台账」)."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from duban.audit.models import Event
from duban.audit.types import EventType
from duban.items.tagging import set_tags
from duban.ledgers import actions
from duban.ledgers.models import SavedView
from duban.ledgers.tests.base import LedgerTestCase


class SavedViewActionTest(LedgerTestCase):
    def saved(self, name: str = "领导批示件台账", **params: str) -> SavedView:
        return actions.create_view(
            actor=self.office,
            owner_unit=self.supervision,
            name=name,
            params=params or {"source": "leader_instruction"},
            columns=["source", "due_date"],
            sort="due",
        )

    def test_create_keeps_only_filters_and_records_the_event(self) -> None:
        view = actions.create_view(
            actor=self.office,
            owner_unit=self.supervision,
            name=" 会议议定事项 ",
            params={"source": "meeting", "state": "", "page": "3", "bogus": "x"},
            columns=["lead_unit"],
            sort="-due",
        )
        self.assertEqual(view.name, "会议议定事项")
        self.assertEqual(view.params, {"source": "meeting"})
        event = Event.objects.get(type=EventType.SAVED_VIEW_CREATED)
        self.assertEqual(event.actor_id, self.office.pk)
        self.assertEqual(event.unit_id, self.supervision.pk)
        self.assertEqual(event.details["params"], {"source": "meeting"})

    def test_a_ledger_by_tag(self) -> None:
        """A 专项台账 by 标签: it keeps the tag, and opening it lists the tagged items only."""
        tagged = self.make("营商环境专项事项")
        self.make("其他事项")
        set_tags(tagged, actor=self.office, tags="优化营商环境年")
        view = self.saved("营商环境年台账", tag="优化营商环境年")
        self.assertEqual(view.params, {"tag": "优化营商环境年"})
        self.assertEqual(self.titles(view=str(view.pk)), ["营商环境专项事项"])
        # A colleague of the office opens it too.
        self.assertEqual(self.titles("office_head", view=str(view.pk)), ["营商环境专项事项"])

    def test_bad_input_names_the_field_and_changes_nothing(self) -> None:
        cases: list[tuple[dict[str, Any], str, str]] = [
            ({"name": ""}, "name", "名称不能为空。"),
            ({"name": "长" * 51}, "name", "名称不能超过 50 个字符。"),
            ({"columns": ["title"]}, "cols", "显示列中没有「title」。"),
            ({"sort": "price"}, "sort", "请从列表中选择排序。"),
        ]
        for change, field, message in cases:
            fields = {"name": "有效名称", "columns": [], "sort": ""} | change
            with self.subTest(field=field), self.assertRaises(ValidationError) as caught:
                actions.create_view(
                    actor=self.office, owner_unit=self.supervision, params={}, **fields
                )
            self.assertEqual(caught.exception.message_dict[field], [message])
        self.assertFalse(SavedView.objects.exists())
        self.assertFalse(Event.objects.filter(type=EventType.SAVED_VIEW_CREATED).exists())

    def test_names_are_unique_within_the_office(self) -> None:
        self.saved()
        with self.assertRaises(ValidationError) as caught:
            self.saved()
        self.assertEqual(
            caught.exception.message_dict["name"], ["本单位已有名为「领导批示件台账」的专项台账。"]
        )
        self.assertEqual(SavedView.objects.count(), 1)

    def test_only_for_ones_own_unit(self) -> None:
        with self.assertRaises(PermissionDenied):
            actions.create_view(
                actor=self.district_office, owner_unit=self.supervision, name="x", params={}
            )

    def test_visible_to_the_same_unit_only(self) -> None:
        view = self.saved()
        for person in (self.office, self.office_head, self.inspector):
            self.assertIn(view, SavedView.objects.visible_to(person))
        for person in (self.district_office, self.lead_liaison, self.leader, self.admin):
            self.assertNotIn(view, SavedView.objects.visible_to(person))

    def test_creator_and_office_head_may_change_others_may_not(self) -> None:
        view = self.saved()
        actions.rename_view(view, actor=self.office, name="批示件台账")
        actions.rename_view(view, actor=self.office_head, name="批示件专项台账")
        with self.assertRaises(PermissionDenied):
            actions.rename_view(view, actor=self.inspector, name="改名")
        with self.assertRaises(PermissionDenied):
            actions.delete_view(view, actor=self.inspector)
        view.refresh_from_db()
        self.assertEqual(view.name, "批示件专项台账")
        renames = Event.objects.filter(type=EventType.SAVED_VIEW_RENAMED).order_by("seq")
        self.assertEqual(
            [e.details["name"] for e in renames],
            [["领导批示件台账", "批示件台账"], ["批示件台账", "批示件专项台账"]],
        )

    def test_update_records_before_and_after(self) -> None:
        view = self.saved()
        actions.update_view(
            view, actor=self.office_head, params={"source": "meeting"}, columns=[], sort="due"
        )
        event = Event.objects.get(type=EventType.SAVED_VIEW_UPDATED)
        self.assertEqual(
            event.details,
            {
                "params": [{"source": "leader_instruction"}, {"source": "meeting"}],
                "columns": [["source", "due_date"], []],
            },
        )
        actions.update_view(
            view, actor=self.office_head, params={"source": "meeting"}, columns=[], sort="due"
        )
        self.assertEqual(Event.objects.filter(type=EventType.SAVED_VIEW_UPDATED).count(), 1)

    def test_delete(self) -> None:
        view = self.saved()
        actions.delete_view(view, actor=self.office_head)
        self.assertFalse(SavedView.objects.exists())
        event = Event.objects.get(type=EventType.SAVED_VIEW_DELETED)
        self.assertEqual(event.target_repr, "领导批示件台账")


class SavedViewPageTest(LedgerTestCase):
    def setUp(self) -> None:
        self.make("批示件一", draft={"source": "leader_instruction"})
        self.make("会议事项", draft={"source": "meeting"})
        self.make("区里批示件", lead=self.town, draft={"source": "leader_instruction"})

    def post(self, user: str, name: str, data: dict[str, object], pk: int | None = None) -> object:
        url = reverse(f"ledgers:{name}", args=[pk] if pk else [])
        return self.as_(user).post(url, data)

    def test_save_from_the_page_then_open_applies_filters_columns_and_sort(self) -> None:
        response = self.post(
            "office",
            "view_create",
            {
                "name": "批示件",
                "source": "leader_instruction",
                "cols": ["due_date"],
                "sort": "title",
            },
        )
        view = SavedView.objects.get()
        self.assertRedirects(response, f"{reverse('items:list')}?view={view.pk}")  # type: ignore[arg-type]
        self.assertEqual(
            (view.params, view.columns, view.sort),
            ({"source": "leader_instruction"}, ["due_date"], "title"),
        )
        page = self.ledger(view=view.pk)
        self.assertEqual(sorted(i.title for i in page.context["page"]), ["区里批示件", "批示件一"])
        self.assertEqual(page.context["form"].cleaned_data["sort"], "title")
        self.assertEqual(page.context["columns"], ["seq", "title", "due_date"])
        self.assertContains(page, "专项台账:批示件")
        self.assertContains(page, 'id="view-update"')  # the creator may change it
        # Further parameters narrow the saved ones.
        narrowed = self.ledger(view=view.pk, lead_unit=self.town.pk)
        self.assertEqual([i.title for i in narrowed.context["page"]], ["区里批示件"])

    def test_a_colleague_sees_it_listed_but_may_not_change_it(self) -> None:
        view = actions.create_view(
            actor=self.office,
            owner_unit=self.supervision,
            name="批示件",
            params={"source": "leader_instruction"},
        )
        page = self.ledger("inspector", view=view.pk)
        self.assertContains(page, f'data-view="{view.pk}"')
        self.assertNotContains(page, 'id="view-update"')
        response = self.post("inspector", "view_rename", {"name": "改名"}, view.pk)
        self.assertEqual(response.status_code, 302)  # type: ignore[attr-defined]
        view.refresh_from_db()
        self.assertEqual(view.name, "批示件")
        self.assertFalse(Event.objects.filter(type=EventType.SAVED_VIEW_RENAMED).exists())

    def test_another_office_gets_404_and_an_error_on_the_ledger(self) -> None:
        view = actions.create_view(
            actor=self.office,
            owner_unit=self.supervision,
            name="批示件",
            params={"source": "leader_instruction"},
        )
        for name in ("view_rename", "view_update", "view_delete"):
            response = self.post("district_office", name, {"name": "x"}, view.pk)
            self.assertEqual(response.status_code, 404)  # type: ignore[attr-defined]
        page = self.ledger("district_office", view=view.pk)
        self.assertEqual(page.context["form"].errors["view"], ["专项台账不存在,或您无权查看。"])
        self.assertNotContains(page, f'data-view="{view.pk}"')
        self.assertTrue(SavedView.objects.filter(pk=view.pk).exists())

    def test_a_shared_view_never_shows_items_outside_ones_scope(self) -> None:
        # 东湖区 staff who also sit in the city office share its views, but still see only
        # what their own scope allows: the saved parameters are filters, not a list of items.
        from duban.org import actions as org_actions

        view = actions.create_view(
            actor=self.office,
            owner_unit=self.supervision,
            name="批示件",
            params={"source": "leader_instruction"},
        )
        org_actions.grant_role(self.district_office, self.supervision, "inspector", actor=None)
        person = self.refreshed(self.district_office)
        page = self.client_for(person).get(reverse("items:list"), {"view": view.pk})
        self.assertEqual([i.title for i in page.context["page"]], ["区里批示件"])

    def test_rename_update_delete_through_the_page(self) -> None:
        view = actions.create_view(
            actor=self.office,
            owner_unit=self.supervision,
            name="批示件",
            params={"source": "leader_instruction"},
        )
        self.post("office_head", "view_rename", {"name": "批示件台账"}, view.pk)
        self.post("office_head", "view_update", {"source": "meeting", "sort": "due"}, view.pk)
        view.refresh_from_db()
        self.assertEqual(
            (view.name, view.params, view.sort), ("批示件台账", {"source": "meeting"}, "due")
        )
        page = self.ledger(view=view.pk)
        self.assertEqual([i.title for i in page.context["page"]], ["会议事项"])
        response = self.post("office_head", "view_delete", {}, view.pk)
        self.assertRedirects(response, reverse("items:list"))  # type: ignore[arg-type]
        self.assertFalse(SavedView.objects.exists())

    def test_a_refused_name_is_shown_in_chinese(self) -> None:
        response = self.as_("office").post(
            reverse("ledgers:view_create"), {"name": ""}, follow=True
        )
        self.assertContains(response, "名称不能为空。")
        self.assertFalse(SavedView.objects.exists())
