"""The API starts from the same `restrict` as the pages: out of scope answers 404 like missing."""

from __future__ import annotations

from duban.api.tests.base import ApiTestCase
from duban.items import actions
from duban.items.access import available_actions
from duban.org.models import User


class VisibilityTest(ApiTestCase):
    def ids(self, user: User, **params: object) -> set[int]:
        response = self.get(user, "/items", **params)
        self.assertEqual(response.status_code, 200, response.content.decode())
        payload = response.json()
        self.assertEqual(payload["count"], len(payload["items"]))
        return {row["id"] for row in payload["items"]}

    def test_persona_lists(self) -> None:
        item = self.assigned()
        seeing = [self.office, self.office_head, self.leader, self.auditor, self.lead_liaison]
        for user in [*seeing, self.lead_leader, self.co_liaison]:
            with self.subTest(user=user.username):
                self.assertEqual(self.ids(user), {item.pk})
        for user in [self.sibling_liaison, self.district_office, self.inspector]:
            with self.subTest(user=user.username):
                self.assertEqual(self.ids(user), set())

    def test_sibling_gets_404_everywhere(self) -> None:
        item = self.assigned()
        for path in ("", "/events", "/actions"):
            with self.subTest(path=path):
                response = self.get(self.sibling_liaison, f"/items/{item.pk}{path}")
                self.assertRefused(response, 404, "not_found")
        missing = self.get(self.sibling_liaison, "/items/999999")
        refused = self.get(self.sibling_liaison, f"/items/{item.pk}")
        self.assertEqual(missing.json(), refused.json())
        response = self.act(self.sibling_liaison, item, "acknowledge")
        self.assertRefused(response, 404, "not_found")

    def test_secret_item_only_for_named(self) -> None:
        item = self.draft(confidentiality="secret", named_people=[self.office_head])
        self.assertEqual(self.ids(self.office_head), {item.pk})
        self.assertEqual(self.ids(self.leader), set())
        self.assertRefused(self.get(self.leader, f"/items/{item.pk}"), 404, "not_found")

    def test_detail(self) -> None:
        item = self.assigned()
        payload = self.get(self.lead_liaison, f"/items/{item.pk}").json()
        self.assertEqual(payload["state"], "assigned")
        self.assertEqual(payload["state_label"], "已交办")
        self.assertEqual(payload["source_label"], "领导批示")
        self.assertEqual(payload["lead_unit"], {"id": self.lead.pk, "name": "市发改委"})
        self.assertEqual(payload["due_date"], "2025-10-11")
        self.assertIn("领导批示", payload["deadline_explanation"])
        roles = {(row["unit"]["name"], row["role"]) for row in payload["units"]}
        self.assertEqual(roles, {("市发改委", "lead"), ("市住建局", "co")})

    def test_filters_and_pages(self) -> None:
        late = self.assigned(title="推进旧城改造")
        draft = self.draft(title="整治违建", source="complaint", doc_number="济政办发〔2016〕30号")
        self.assertEqual(self.ids(self.office, state="draft"), {draft.pk})
        self.assertEqual(self.ids(self.office, source="complaint"), {draft.pk})
        self.assertEqual(self.ids(self.office, lead_unit=self.lead.pk), {late.pk})
        self.assertEqual(self.ids(self.office, overdue="true"), {late.pk})
        self.assertEqual(self.ids(self.office, overdue="false"), {draft.pk})
        self.assertEqual(self.ids(self.office, q="2016"), {draft.pk})
        page = self.get(self.office, "/items", limit=1, offset=1).json()
        self.assertEqual((page["count"], len(page["items"])), (2, 1))
        self.assertRefused(self.get(self.office, "/items", limit=0), 400, "invalid")

    def test_a_units_keyword_search_of_two_characters_and_more(self) -> None:
        """A liaison's scope asks the keyword together with its reach (ledgers/search.py
        searchable): the unit's items that hold it, and the 涉密 one naming them."""
        handled = self.assigned(title="推进燃气管网改造")
        self.assigned(title="推进旧城改造")
        self.draft(title="全市燃气安全检查")  # not handled by the unit
        named = self.draft(
            title="涉密燃气事项", confidentiality="secret", named_people=[self.lead_liaison]
        )
        for q in ("燃气", "燃气管网", "燃"):
            with self.subTest(q=q):
                expected = {handled.pk, named.pk} if q != "燃气管网" else {handled.pk}
                self.assertEqual(self.ids(self.lead_liaison, q=q), expected)

    def test_tags_registered_read_and_filtered(self) -> None:
        body = {"title": "背街小巷照明改善", "source": "other", "tags": ["民生实事", "城市更新"]}
        created = self.post(self.office, "/items", body)
        self.assertEqual(created.status_code, 201, created.content.decode())
        self.assertEqual(created.json()["tags"], ["民生实事", "城市更新"])
        other = self.draft(title="其他事项")
        self.assertEqual(self.ids(self.office, tag="民生实事"), {created.json()["id"]})
        self.assertNotIn(other.pk, self.ids(self.office, tag="城市更新"))
        refused = self.post(self.office, "/items", body | {"tags": ["长" * 21]})
        payload = self.assertRefused(refused, 400, "invalid")
        self.assertIn("超过 20 个字", payload["message"])

    def test_events_are_the_timeline(self) -> None:
        item = self.assigned()
        actions.acknowledge(item, actor=self.refreshed(self.lead_liaison))
        events = self.get(self.office, f"/items/{item.pk}/events").json()
        self.assertEqual(
            [e["type_label"] for e in events], ["登记督查事项", "事项交办", "事项签收"]
        )
        self.assertEqual(events[-1]["actor"], "lead_liaison")
        self.assertEqual(events[-1]["details"]["to"], "in_progress")

    def test_actions_per_persona(self) -> None:
        # The list is exactly items.access.available_actions, the page's buttons.
        item = self.assigned()
        cases = {
            self.office_head: {"cancel"},
            self.lead_liaison: {"acknowledge", "decline"},
            self.co_liaison: {"acknowledge_part", "decline_part"},
            self.auditor: set(),
        }
        for user, expected in cases.items():
            with self.subTest(user=user.username):
                rows = self.get(user, f"/items/{item.pk}/actions").json()
                names = [r["action"] for r in rows]
                self.assertEqual(names, available_actions(self.refreshed(user), self.fresh(item)))
                self.assertLessEqual(expected, set(names))
                self.assertTrue(all(r["label"] for r in rows))
        self.assertEqual(self.get(self.auditor, f"/items/{item.pk}/actions").json(), [])

    def test_units_restricted(self) -> None:
        names = {u["name"] for u in self.get(self.lead_liaison, "/units").json()["items"]}
        self.assertEqual(names, {"市发改委", "综合科"})
        self.assertEqual(self.get(self.office, "/units").json()["count"], 10)
