"""Unit selects (org/picker.py): a long offer renders short, with the search's address, and the
field still accepts any unit of the offer and refuses any other.

The threshold is lowered to 7 here rather than making thousands of units: the persona city has 10,
and its top layer (the city and its six departments and districts) is 7.
"""

from __future__ import annotations

import re
from unittest import mock

from duban.core.testing import PersonaTestCase
from duban.items.forms import AssignForm, ItemCreateForm
from duban.org import actions, picker
from duban.org.forms import GrantRoleForm, MemberAddForm, UnitEditForm
from duban.org.models import Role, Unit

SHORT = 7


def option_ids(html: str) -> set[int]:
    return {int(pk) for pk in re.findall(r'<option value="(\d+)"', html)}


def selected_ids(html: str) -> set[int]:
    return {int(pk) for pk in re.findall(r'<option value="(\d+)" selected>', html)}


class UnitSelectTests(PersonaTestCase):
    elsewhere: Unit

    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        cls.elsewhere = cls.unit("Y", "外市", "other", None)

    def parent_form(self, **data: object) -> UnitEditForm:
        base = {"name": "新单位", "kind": "department", "sort_order": 0}
        return UnitEditForm(self.refreshed(self.admin), {**base, **data} if data else None)

    def test_long_offer_renders_the_top_layer_and_the_search_address(self) -> None:
        with mock.patch.object(picker, "PICK_THRESHOLD", SHORT):
            html = str(self.parent_form()["parent"])
        top = {self.city, self.gov_office, self.lead, self.co, self.sibling, self.discipline}
        self.assertEqual(option_ids(html), {u.pk for u in top | {self.district}})
        self.assertNotIn(f'value="{self.town.pk}"', html)
        self.assertIn('data-units-url="/org/units/pick/?offer=unit.manage"', html)
        self.assertIn('data-units-none="没有匹配的单位。"', html)

    def test_chosen_deep_unit_is_kept_and_accepted(self) -> None:
        with mock.patch.object(picker, "PICK_THRESHOLD", SHORT):
            form = self.parent_form(parent=self.town.pk)
            html = str(form["parent"])
        self.assertEqual(selected_ids(html), {self.town.pk})
        self.assertNotIn(f'value="{self.lead_section.pk}"', html)  # deep and not chosen
        self.assertTrue(form.is_valid(), form.errors)
        self.assertEqual(form.cleaned_data["parent"], self.town)

    def test_unit_outside_the_offer_is_refused_and_not_named(self) -> None:
        with mock.patch.object(picker, "PICK_THRESHOLD", SHORT):
            form = self.parent_form(parent=self.elsewhere.pk)
            html = str(form["parent"])
        self.assertFalse(form.is_valid())
        self.assertEqual(form.errors["parent"], ["请从列表中选择上级单位。"])
        self.assertNotIn("外市", html)
        self.assertEqual(selected_ids(html), set())

    def test_short_offer_renders_as_before(self) -> None:
        html = str(self.parent_form()["parent"])
        everything = set(Unit.objects.exclude(pk=self.elsewhere.pk).values_list("pk", flat=True))
        self.assertEqual(option_ids(html), everything)
        self.assertIn(f'<option value="{self.town.pk}">\u3000\u3000青石镇</option>', html)
        self.assertNotIn("data-units-url", html)
        self.assertIn('data-filter=""', html)

    def test_role_form_offers_by_name(self) -> None:
        admin = self.refreshed(self.admin)
        with mock.patch.object(picker, "PICK_THRESHOLD", SHORT):
            form = GrantRoleForm(admin, {"unit": self.town.pk, "role": "liaison"})
            html = str(form["unit"])
        self.assertIn("offer=user.manage", html)
        self.assertTrue(form.is_valid(), form.errors)

    def test_member_form_names_its_group(self) -> None:
        group = actions.create_group(actor=None, name="测试领导小组", office_unit=self.supervision)
        office = self.refreshed(self.office)
        with mock.patch.object(picker, "PICK_THRESHOLD", SHORT):
            html = str(MemberAddForm(office, group)["unit"])
        self.assertIn(f"offer=group.member%3A{group.pk}", html)

    def test_co_units_keep_every_chosen_unit(self) -> None:
        office = self.refreshed(self.office)
        data = {"co_units": [self.town.pk, self.lead_section.pk], "lead_unit": self.town.pk}
        with mock.patch.object(picker, "PICK_THRESHOLD", SHORT):
            form = AssignForm(office, data)
            html = str(form["co_units"])
        self.assertIn(" multiple", html)
        self.assertIn("offer=item.assign", html)
        self.assertEqual(selected_ids(html), {self.town.pk, self.lead_section.pk})
        form.is_valid()
        self.assertNotIn("co_units", form.errors)
        self.assertNotIn("lead_unit", form.errors)
        self.assertEqual(set(form.cleaned_data["co_units"]), {self.town, self.lead_section})

    def test_top_layer_of_an_offer_with_two_roots(self) -> None:
        village = self.unit("T-DH-1-1", "石门村", "other", self.town)
        both = actions.create_user(actor=None, username="both", full_name="both")
        for unit in (self.lead, self.district):
            actions.grant_role(both, unit, Role.OFFICE, actor=None)
        with mock.patch.object(picker, "PICK_THRESHOLD", 4):
            form = ItemCreateForm(self.refreshed(both), {"owner_unit": village.pk})
            html = str(form["owner_unit"])
        # Each root with its children; the village, two levels down, only as the chosen one.
        top = {self.lead, self.lead_section, self.district, self.town}
        self.assertEqual(option_ids(html), {u.pk for u in top} | {village.pk})
        self.assertEqual(selected_ids(html), {village.pk})
        self.assertIn("offer=item.change", html)

    def test_empty_offer_renders_the_empty_option_only(self) -> None:
        # A liaison may register no item: the ORM knows the offer empty before any SQL.
        liaison = self.refreshed(self.lead_liaison)
        html = str(ItemCreateForm(liaison)["owner_unit"])
        self.assertEqual(option_ids(html), set())
        self.assertIn('<option value="" selected>', html)

    def test_field_without_an_offer_name_lists_the_whole_offer(self) -> None:
        # Without the search's address a short list would leave the deep units unchoosable.
        form = UnitEditForm(self.refreshed(self.admin))
        form.fields["parent"].queryset = Unit.objects.order_by("path")  # type: ignore[attr-defined]
        form.fields["parent"].widget.offer = None
        with mock.patch.object(picker, "PICK_THRESHOLD", SHORT):
            html = str(form["parent"])
        self.assertEqual(option_ids(html), set(Unit.objects.values_list("pk", flat=True)))
        self.assertNotIn("data-units-url", html)
