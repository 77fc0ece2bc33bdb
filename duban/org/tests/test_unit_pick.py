"""The unit picker's search (org/pick_views.py): a person finds the units of a named offer, and
only those, whatever the browser asks."""

from __future__ import annotations

from typing import Any
from unittest import mock

from django.test import Client

from duban.core.testing import PersonaTestCase
from duban.org import actions, pick_views
from duban.org.models import Role, Unit, User

URL = "/org/units/pick/"


class UnitPickTests(PersonaTestCase):
    west: Unit
    east_office: Unit
    west_office: Unit
    west_clerk: User
    elsewhere: Unit

    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        cls.east_office = cls.unit("T-DH-BGS", "办公室", "government", cls.district)
        cls.west = cls.unit("T-XH", "西湖区", "government", cls.city)
        cls.west_office = cls.unit("T-XH-BGS", "办公室", "government", cls.west)
        cls.west_clerk = cls.person("west_clerk", cls.west, Role.OFFICE)
        # Another city's unit: nobody of 测试市 may be offered it.
        cls.elsewhere = cls.unit("Y", "外市", "other", None)

    def pick(self, user: User | None, **params: Any) -> Any:
        client = self.client_for(user) if user is not None else Client()
        return client.get(URL, {"offer": "unit.view", **params})

    def found(self, user: User, **params: Any) -> list[tuple[int, str]]:
        response = self.pick(user, **params)
        self.assertEqual(response.status_code, 200)
        return [(row["id"], row["label"]) for row in response.json()["results"]]

    def test_a_county_clerk_finds_only_units_of_the_county(self) -> None:
        found = self.found(self.district_office, q="办公室")
        self.assertEqual(found, [(self.east_office.pk, "东湖区 / 办公室")])
        # The other county's office, the city's and another city's unit stay out of reach.
        self.assertEqual(
            self.found(self.west_clerk, q="办公室"), [(self.west_office.pk, "西湖区 / 办公室")]
        )
        self.assertEqual(self.found(self.district_office, q="外市"), [])
        self.assertEqual(self.found(self.district_office, q="T-XH"), [])

    def test_labels_name_the_chain_so_two_offices_differ(self) -> None:
        found = self.found(self.office, q="办公室")
        self.assertEqual(
            [label for _pk, label in found],
            ["测试市 / 市政府办公室", "测试市 / 东湖区 / 办公室", "测试市 / 西湖区 / 办公室"],
        )

    def test_results_in_tree_order_with_depth(self) -> None:
        response = self.pick(self.district_office, q="")
        body = response.json()
        self.assertEqual(
            [(r["id"], r["depth"]) for r in body["results"]],
            [(self.district.pk, 1), (self.town.pk, 2), (self.east_office.pk, 2)],
        )
        self.assertFalse(body["more"])

    def test_matches_short_name_and_code_too(self) -> None:
        actions.update_unit(self.co, actor=None, short_name="住建")
        self.assertEqual([pk for pk, _ in self.found(self.office, q="住建")], [self.co.pk])
        self.assertEqual([pk for pk, _ in self.found(self.office, q="t-scjg")], [self.sibling.pk])

    def test_a_unit_outside_the_offer_never_appears(self) -> None:
        everything = self.found(self.lead_liaison, q="")
        self.assertEqual({pk for pk, _ in everything}, {self.lead.pk, self.lead_section.pk})
        self.assertEqual(self.found(self.sibling_liaison, q="发改"), [])

    def test_item_offers_are_those_of_the_item_forms(self) -> None:
        actions.update_unit(self.west_office, actor=None, active=False)
        found = self.found(self.office, offer="item.assign", q="办公室")
        # Inactive units are not offered for assignment (items.access.units_where).
        self.assertEqual([pk for pk, _ in found], [self.gov_office.pk, self.east_office.pk])
        # A liaison may not register items: nothing is offered at all.
        self.assertEqual(self.found(self.lead_liaison, offer="item.change", q=""), [])

    def test_group_member_offer_leaves_out_seated_units_and_others_groups(self) -> None:
        group = actions.create_group(actor=None, name="测试领导小组", office_unit=self.supervision)
        actions.add_group_member(group, self.lead, actor=None)
        offer = f"group.member:{group.pk}"
        found = {pk for pk, _ in self.found(self.office, offer=offer, q="")}
        self.assertIn(self.co.pk, found)
        self.assertNotIn(self.lead.pk, found)
        # A liaison does not manage the group: nothing to seat, though they see units.
        self.assertEqual(self.found(self.lead_liaison, offer=offer, q=""), [])

    def test_more_says_the_list_was_cut(self) -> None:
        with mock.patch.object(pick_views, "PICK_LIMIT", 3):
            body = self.pick(self.office, q="市").json()
            self.assertEqual(len(body["results"]), 3)
            self.assertTrue(body["more"])
            body = self.pick(self.office, q="东湖").json()
            self.assertEqual(len(body["results"]), 1)
            self.assertFalse(body["more"])

    def test_login_required(self) -> None:
        response = self.pick(None, q="办公室")
        self.assertEqual(response.status_code, 302)
        self.assertIn("/accounts/login/", response["Location"])

    def test_unknown_offer_is_refused_in_chinese(self) -> None:
        for name in ("", "everything", "unit.view:1", "group.member:x", "group.member:" + "9" * 11):
            with self.subTest(offer=name):
                response = self.pick(self.office, offer=name, q="办公室")
                self.assertEqual(response.status_code, 400)
                self.assertEqual(
                    response.json(),
                    {"code": "unknown_offer", "message": "单位范围无效,请刷新页面后重试。"},
                )

    def test_long_query_is_refused_in_chinese(self) -> None:
        self.assertEqual(self.pick(self.office, q="办" * 50).status_code, 200)
        response = self.pick(self.office, q="办" * 51)
        self.assertEqual(response.status_code, 400)
        self.assertEqual(response.json()["message"], "搜索词不能超过 50 个字。")

    def test_only_get(self) -> None:
        response = self.client_for(self.office).post(URL, {"offer": "unit.view"})
        self.assertEqual(response.status_code, 405)

    def test_queries_do_not_grow_with_the_offer_or_the_results(self) -> None:
        client = self.client_for(self.office)
        client.get(URL, {"offer": "unit.view", "q": "青石"})  # the session is read once, then
        # session, user, scopes, the matches, their ancestors' names
        with self.assertNumQueries(5):
            client.get(URL, {"offer": "unit.view", "q": "青石"})
        for n in range(30):
            self.unit(f"T-DH-{n + 10}", f"东湖区第{n}所", "other", self.district)
        with self.assertNumQueries(5):
            body = client.get(URL, {"offer": "unit.view", "q": ""}).json()
        self.assertEqual(len(body["results"]), 43)
        # Nothing found: no ancestors to name.
        with self.assertNumQueries(4):
            client.get(URL, {"offer": "unit.view", "q": "没有这个单位"})
