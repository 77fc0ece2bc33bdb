"""Every 台账 parameter of the issue-6 contract (ledgers/filters.py), on SQLite and PostgreSQL."""

from __future__ import annotations

import datetime as dt

from django.urls import reverse
from django.utils import timezone

from duban.items.models import Item, ItemState
from duban.items.tagging import set_tags
from duban.ledgers.filters import cleaned, ledger_items, parse
from duban.ledgers.tests.base import FAR, LedgerTestCase


def _at(day: dt.date) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time(12)))


class FilterTest(LedgerTestCase):
    def setUp(self) -> None:
        today = timezone.localdate()
        self.late = self.make("逾期事项", due_date=today - dt.timedelta(days=3))
        self.near = self.make("临近事项", due=today + dt.timedelta(days=1))
        self.joint = self.make(
            "联合事项", co=[self.co], draft={"responsible_leader": "王副市长"}, due=FAR
        )
        self.town_item = self.make("区里事项", lead=self.town, draft={"source": "complaint"})
        self.draft_only = self.draft(title="拟办事项")
        self.done = self.make(
            "办结事项",
            state=ItemState.COMPLETED,
            outcome="A",
            completed_late=True,
            extension_count=1,
            completed_at=_at(dt.date(2026, 3, 31)),
            created_at=_at(dt.date(2026, 1, 5)),
        )
        self.archived = self.make(
            "归档事项",
            state=ItemState.ARCHIVED,
            outcome="B",
            completed_late=False,
            return_count=2,
            completed_at=_at(dt.date(2026, 4, 1)),
            created_at=_at(dt.date(2026, 2, 1)),
        )

    def test_no_parameter_lists_everything_in_scope(self) -> None:
        self.assertEqual(len(self.titles()), 7)

    def test_state_value_and_groups(self) -> None:
        self.assertEqual(self.titles(state="draft"), ["拟办事项"])
        self.assertEqual(self.titles(state="closed"), sorted(["归档事项", "办结事项"]))
        self.assertEqual(
            self.titles(state="open"),
            sorted(["逾期事项", "临近事项", "联合事项", "区里事项", "拟办事项"]),
        )

    def test_source_and_lead_unit(self) -> None:
        self.assertEqual(self.titles(source="complaint"), ["区里事项"])
        self.assertEqual(self.titles(lead_unit=self.town.pk), ["区里事项"])

    def test_co_unit_only_active_co_rows(self) -> None:
        self.assertEqual(self.titles(co_unit=self.co.pk), ["联合事项"])
        # The lead unit is no co-unit of its own items.
        self.assertEqual(self.titles(co_unit=self.lead.pk), [])

    def test_leader_is_exact(self) -> None:
        self.assertEqual(self.titles(leader="王副市长"), ["联合事项"])
        self.assertEqual(self.titles(leader="王副"), [])

    def test_light_and_due(self) -> None:
        self.assertEqual(self.titles(light="red"), ["逾期事项"])
        self.assertEqual(self.titles(due="overdue"), ["逾期事项"])
        self.assertIn("临近事项", self.titles(light="yellow"))
        self.assertNotIn("临近事项", self.titles(light="green"))
        self.assertNotIn("逾期事项", self.titles(due="on_time"))

    def test_date_ranges_are_inclusive(self) -> None:
        today = timezone.localdate()
        self.assertEqual(
            self.titles(due_from=today, due_to=today + dt.timedelta(days=1)), ["临近事项"]
        )
        self.assertEqual(
            self.titles(completed_from="2026-03-31", completed_to="2026-03-31"), ["办结事项"]
        )
        self.assertEqual(self.titles(completed_from="2026-04-01"), ["归档事项"])
        self.assertEqual(
            self.titles(created_from="2026-01-05", created_to="2026-02-01"),
            sorted(["归档事项", "办结事项"]),
        )
        self.assertEqual(self.titles(created_to="2026-01-31"), ["办结事项"])

    def test_outcome_late_extended_returned(self) -> None:
        self.assertEqual(self.titles(outcome="B"), ["归档事项"])
        self.assertEqual(self.titles(late="1"), ["办结事项"])
        self.assertEqual(self.titles(late="0"), ["归档事项"])
        self.assertEqual(self.titles(extended="1"), ["办结事项"])
        self.assertEqual(self.titles(returned="1"), ["归档事项"])

    def test_tag_is_exact_and_shown_as_a_column(self) -> None:
        set_tags(self.late, actor=self.office, tags="民生实事、营商环境")
        set_tags(self.joint, actor=self.office, tags="民生实事")
        set_tags(self.done, actor=self.office, tags="民生实事工程")
        self.assertEqual(self.titles(tag="民生实事"), sorted(["逾期事项", "联合事项"]))
        self.assertEqual(self.titles(tag=" 营商环境 "), ["逾期事项"])
        self.assertEqual(self.titles(tag="民生"), [])
        self.assertEqual(
            self.titles(tag="民生实事", state="open", lead_unit=self.lead.pk),
            sorted(["逾期事项", "联合事项"]),
        )
        page = self.ledger(tag="民生实事", cols=["tags", "state"])
        self.assertContains(page, "<td>民生实事、营商环境</td>", html=False)
        # The fold of seldom-used filters opens on it, and the print view names it.
        self.assertContains(page, 'value="民生实事"')
        self.assertTrue(page.context["form"].more_open())
        printed = self.as_("office").get(reverse("ledgers:print"), {"tag": "民生实事"})
        self.assertContains(printed, "标签")
        too_long = self.ledger(tag="长" * 21)
        self.assertEqual(too_long.context["form"].errors["tag"], ["标签不能超过 20 个字。"])

    def test_parameters_combine(self) -> None:
        self.assertEqual(self.titles(state="closed", outcome="A", late="1"), ["办结事项"])
        self.assertEqual(
            self.titles(state="open", lead_unit=self.lead.pk, co_unit=self.co.pk), ["联合事项"]
        )

    def test_bad_values_are_named_in_chinese_and_only_they_are_dropped(self) -> None:
        response = self.ledger(
            state="nonsense",
            due_from="2026-13-40",
            outcome="Z",
            lead_unit="999999",
            source="complaint",
        )
        form = response.context["form"]
        self.assertEqual(form.errors["state"], ["请从列表中选择状态。"])
        self.assertEqual(form.errors["due_from"], ["完成时限起须为 YYYY-MM-DD 格式的日期。"])
        self.assertEqual(form.errors["outcome"], ["请从列表中选择办理结果。"])
        self.assertEqual(form.errors["lead_unit"], ["请从列表中选择主办单位。"])
        self.assertContains(response, "完成时限起须为 YYYY-MM-DD 格式的日期。")
        # The valid parameter still applies.
        self.assertEqual([i.title for i in response.context["page"]], ["区里事项"])

    def test_unit_lists_mark_the_choice_and_the_error(self) -> None:
        chosen = self.ledger(lead_unit=self.town.pk)
        self.assertContains(chosen, f'<option value="{self.town.pk}" selected>')
        self.assertContains(chosen, '<option value="" selected>全部协办单位</option>')
        refused = self.ledger(co_unit="999999")
        self.assertContains(refused, 'class="form-select is-invalid"')
        self.assertContains(refused, "请从列表中选择协办单位。")

    def test_reversed_range_names_both_ends(self) -> None:
        response = self.ledger(due_from="2026-05-01", due_to="2026-04-01")
        self.assertEqual(
            response.context["form"].errors["due_to"], ["完成时限止不能早于完成时限起。"]
        )

    def test_too_long_keyword_and_bad_page(self) -> None:
        response = self.ledger(q="长" * 51, page="x", per="7")
        errors = response.context["form"].errors
        self.assertEqual(errors["q"], ["关键词不能超过 50 个字。"])
        self.assertEqual(errors["page"], ["页码须为正整数。"])
        self.assertEqual(errors["per"], ["请从列表中选择每页。"])
        self.assertEqual(response.context["page"].paginator.count, 7)

    def test_a_unit_outside_ones_scope_is_refused(self) -> None:
        # 东湖区's office sees only its district's units: 市发改委 is not a choice for it.
        form = parse(self.district_office, {"lead_unit": str(self.lead.pk)})
        self.assertIn("lead_unit", form.errors)
        items = ledger_items(self.district_office, cleaned(form))
        self.assertEqual([i.title for i in items], ["区里事项"])

    def test_shared_functions_match_the_page(self) -> None:
        data = cleaned(parse(self.office, {"state": "closed", "returned": "1"}))
        self.assertEqual(
            list(ledger_items(self.office, data)), [Item.objects.get(pk=self.archived.pk)]
        )
