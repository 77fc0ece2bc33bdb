"""Management pages: who may open them, what a good submit records, what a bad one refuses."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.test import Client

from duban.audit.models import Event
from duban.audit.types import EventType
from duban.core.testing import PersonaTestCase
from duban.org import actions
from duban.org.models import GroupMember, LeadingGroup, Membership, Unit, User

if TYPE_CHECKING:
    from django.test.client import _MonkeyPatchedWSGIResponse as TestResponse

PERSONAS = (
    "admin",
    "office",
    "office_head",
    "leader",
    "lead_liaison",
    "lead_leader",
    "sibling_liaison",
    "inspector",
    "auditor",
    "anonymous",
)


class PageTestCase(PersonaTestCase):
    group: LeadingGroup
    member: GroupMember

    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        # The office of the group sits in 督查室, inside the supervision staff's city-wide scope.
        cls.group = actions.create_group(
            actor=None, name="质量强市工作领导小组", office_unit=cls.supervision
        )
        cls.member = actions.add_group_member(
            cls.group,
            cls.lead,
            actor=None,
            leader_name="钱副主任",
            leader_phone="13800000001",
            handler_name="孙干事",
            handler_phone="13800000003",
        )

    def as_(self, persona: str) -> Client:
        return self.client_for(None if persona == "anonymous" else getattr(self, persona))

    def post(self, persona: str, url: str, data: dict[str, Any]) -> TestResponse:
        return self.as_(persona).post(url, data)

    def events(self, obj: Any, event_type: EventType) -> list[Event]:
        return list(Event.objects.for_target(obj).filter(type=event_type))

    def assert_refused(self, response: TestResponse, field: str, message: str) -> None:
        """400, the form re-rendered, the Chinese message on the named field."""
        self.assertEqual(response.status_code, 400)
        form = response.context["form"]
        self.assertIn(field, form.errors)
        self.assertIn(message, " ".join(form.errors[field]))
        self.assertContains(response, message, status_code=400)
        self.assertRegex(
            response.content.decode(), rf'name="{field}"[^>]*class="form-\w+ is-invalid"'
        )


class PermissionMatrixTests(PageTestCase):
    """Status per page and persona: 302 sign in, 404 outside scope, 403 in scope but not allowed."""

    def test_matrix(self) -> None:
        liaison = self.lead_liaison
        membership = Membership.objects.get(user=liaison)
        group, member = self.group, self.member
        admin_only = {"admin": 200, "anonymous": 302}
        group_staff = {"admin": 200, "office": 200, "office_head": 200, "anonymous": 302}
        # page: (url, status for the listed personas, status for everyone else)
        table: dict[str, tuple[str, dict[str, int], int]] = {
            "unit_create": ("/org/units/new/", admin_only, 403),
            "unit_edit": (f"/org/units/{self.lead.pk}/edit/", admin_only, 404),
            "person_create": ("/org/people/new/", admin_only, 403),
            "person_edit": (f"/org/people/{liaison.pk}/edit/", admin_only, 404),
            "person_password": (f"/org/people/{liaison.pk}/password/", admin_only, 404),
            "role_grant": (f"/org/people/{liaison.pk}/roles/new/", admin_only, 404),
            "role_revoke": (
                f"/org/people/{liaison.pk}/roles/{membership.pk}/revoke/",
                admin_only,
                404,
            ),
            "group_create": ("/org/groups/new/", group_staff, 403),
            "group_edit": (f"/org/groups/{group.pk}/edit/", group_staff, 404),
            "member_add": (f"/org/groups/{group.pk}/members/new/", group_staff, 404),
            "member_edit": (
                f"/org/groups/{group.pk}/members/{member.pk}/edit/",
                group_staff,
                404,
            ),
            "member_remove": (
                f"/org/groups/{group.pk}/members/{member.pk}/remove/",
                group_staff,
                404,
            ),
        }
        for page, (url, listed, otherwise) in table.items():
            for persona in PERSONAS:
                expected = listed.get(persona, otherwise)
                with self.subTest(page=page, persona=persona):
                    response = self.as_(persona).get(url)
                    self.assertEqual(response.status_code, expected)
                    if expected == 302:
                        self.assertIn("/accounts/login/", response["Location"])

    def test_a_refused_post_changes_nothing(self) -> None:
        before = Event.objects.count()
        url = f"/org/units/{self.lead.pk}/edit/"
        for persona in ("office", "lead_liaison", "sibling_liaison"):
            with self.subTest(persona=persona):
                response = self.post(persona, url, {"name": "改名", "kind": "department"})
                self.assertEqual(response.status_code, 404)
        self.assertEqual(Unit.objects.get(pk=self.lead.pk).name, "市发改委")
        self.assertEqual(Event.objects.count(), before)

    def test_missing_objects_are_404(self) -> None:
        client = self.as_("admin")
        for url in ("/org/units/999999/edit/", "/org/groups/999999/edit/"):
            with self.subTest(url=url):
                self.assertEqual(client.get(url).status_code, 404)
        other = actions.create_group(actor=None, name="另一小组", office_unit=self.sibling)
        url = f"/org/groups/{other.pk}/members/{self.member.pk}/edit/"
        self.assertEqual(client.get(url).status_code, 404)

    def test_posts_need_a_csrf_token(self) -> None:
        client = Client(enforce_csrf_checks=True)
        client.force_login(self.admin, backend="django.contrib.auth.backends.ModelBackend")
        response = client.post("/org/units/new/", {"code": "X", "name": "X", "kind": "other"})
        self.assertEqual(response.status_code, 403)
        self.assertFalse(Unit.objects.filter(code="X").exists())

    def test_buttons_show_only_when_permitted(self) -> None:
        edit = f"/org/units/{self.lead.pk}/edit/"
        self.assertContains(self.as_("admin").get(f"/org/units/{self.lead.pk}/"), edit)
        self.assertNotContains(self.as_("lead_liaison").get(f"/org/units/{self.lead.pk}/"), edit)
        self.assertContains(self.as_("admin").get("/org/"), "/org/units/new/")
        self.assertNotContains(self.as_("office").get("/org/"), "/org/units/new/")
        group_page = f"/org/groups/{self.group.pk}/"
        member_edit = f"/org/groups/{self.group.pk}/members/{self.member.pk}/edit/"
        self.assertContains(self.as_("office").get(group_page), member_edit)
        self.assertNotContains(self.as_("leader").get(group_page), member_edit)
        self.assertContains(self.as_("office").get("/org/groups/"), "/org/groups/new/")
        self.assertNotContains(self.as_("leader").get("/org/groups/"), "/org/groups/new/")


class UnitPageTests(PageTestCase):
    def form(self, **changes: Any) -> dict[str, Any]:
        data = {
            "name": "市发改委",
            "short_name": "",
            "kind": "department",
            "parent": self.city.pk,
            "sort_order": 0,
            "active": "on",
        }
        return {**data, **changes}

    def test_create_under_a_parent(self) -> None:
        data = self.form(code="T-TJ", name="市统计局", parent=self.city.pk)
        response = self.post("admin", "/org/units/new/", data)
        unit = Unit.objects.get(code="T-TJ")
        self.assertRedirects(response, f"/org/units/{unit.pk}/")
        self.assertEqual((unit.name, unit.parent, unit.depth), ("市统计局", self.city, 1))
        (event,) = self.events(unit, EventType.UNIT_CREATED)
        self.assertEqual(event.actor, self.admin)
        self.assertEqual(event.details["parent"], self.city.pk)

    def test_add_a_child_from_the_parent_page(self) -> None:
        client = self.as_("admin")
        response = client.get(f"/org/units/new/?parent={self.lead.pk}")
        self.assertEqual(response.context["form"]["parent"].value(), self.lead.pk)
        self.assertEqual(client.get("/org/units/new/?parent=x").status_code, 200)

    def test_edit_records_old_and_new(self) -> None:
        url = f"/org/units/{self.lead.pk}/edit/"
        response = self.post(
            "admin", url, self.form(name="市发展和改革委员会", short_name="发改委")
        )
        self.assertRedirects(response, f"/org/units/{self.lead.pk}/")
        self.assertEqual(Unit.objects.get(pk=self.lead.pk).name, "市发展和改革委员会")
        (event,) = self.events(self.lead, EventType.UNIT_UPDATED)
        self.assertEqual(event.details["name"], ["市发改委", "市发展和改革委员会"])
        self.assertEqual(event.details["short_name"], ["", "发改委"])

    def test_move_under_another_parent(self) -> None:
        url = f"/org/units/{self.lead.pk}/edit/"
        self.post("admin", url, self.form(parent=self.district.pk))
        section = Unit.objects.get(pk=self.lead_section.pk)
        self.assertTrue(section.path.startswith(self.district.path))
        (event,) = self.events(self.lead, EventType.UNIT_MOVED)
        self.assertEqual(event.details["parent"], [self.city.pk, self.district.pk])

    def test_empty_name_is_refused(self) -> None:
        count = Unit.objects.count()
        response = self.post("admin", "/org/units/new/", self.form(code="T-NEW", name="  "))
        self.assert_refused(response, "name", "单位名称不能为空")
        self.assertEqual(Unit.objects.count(), count)

    def test_duplicate_code_is_refused(self) -> None:
        count, events = Unit.objects.count(), Event.objects.count()
        response = self.post("admin", "/org/units/new/", self.form(code="T-FGW", name="重复"))
        self.assert_refused(response, "code", "单位编码 T-FGW 已存在")
        self.assertEqual((Unit.objects.count(), Event.objects.count()), (count, events))

    def test_moving_under_its_own_child_is_refused(self) -> None:
        before = Unit.objects.get(pk=self.lead.pk)
        events = Event.objects.count()
        url = f"/org/units/{self.lead.pk}/edit/"
        data = self.form(name="改了名", parent=self.lead_section.pk)
        response = self.post("admin", url, data)
        self.assert_refused(response, "parent", "上级单位不能是本单位或其下级单位")
        after = Unit.objects.get(pk=self.lead.pk)
        self.assertEqual(
            (after.name, after.parent_id, after.path), (before.name, before.parent_id, before.path)
        )
        self.assertEqual(Event.objects.count(), events)

    def test_parent_outside_ones_scope_is_not_offered(self) -> None:
        district_admin = self.person("district_admin", self.district, "admin")
        count = Unit.objects.count()
        data = self.form(code="T-DH-2", name="新镇", kind="township", parent=self.city.pk)
        response = self.post("anonymous", "/org/units/new/", data)
        self.assertEqual(response.status_code, 302)
        response = self.client_for(district_admin).post("/org/units/new/", data)
        self.assert_refused(response, "parent", "请从列表中选择上级单位")
        self.assertEqual(Unit.objects.count(), count)


class PersonPageTests(PageTestCase):
    def test_create_with_a_first_role(self) -> None:
        data = {
            "username": "zhang3",
            "full_name": "张三",
            "phone": "13912345678",
            "title": "科员",
            "password": "",
            "unit": self.lead.pk,
            "role": "liaison",
        }
        response = self.post("admin", "/org/people/new/", data)
        person = User.objects.get(username="zhang3")
        self.assertRedirects(response, f"/org/people/{person.pk}/")
        self.assertEqual((person.full_name, person.phone), ("张三", "13912345678"))
        self.assertFalse(person.has_usable_password())
        membership = Membership.objects.get(user=person)
        self.assertEqual((membership.unit, membership.scope), (self.lead, self.lead))
        self.assertEqual(len(self.events(person, EventType.USER_CREATED)), 1)
        self.assertEqual(len(self.events(person, EventType.ROLE_GRANTED)), 1)

    def test_duplicate_account_is_refused(self) -> None:
        count = User.objects.count()
        data = {"username": "LEAD_LIAISON", "full_name": "重名", "unit": self.lead.pk}
        response = self.post("admin", "/org/people/new/", {**data, "role": "liaison"})
        self.assert_refused(response, "username", "账号 LEAD_LIAISON 已存在")
        self.assertEqual(User.objects.count(), count)

    def test_refused_first_role_leaves_no_person_behind(self) -> None:
        # The new account is valid; the role is not: neither is kept.
        count = User.objects.count()
        data = {"username": "li4", "full_name": "李四", "unit": self.lead.pk, "role": "boss"}
        response = self.post("admin", "/org/people/new/", data)
        self.assert_refused(response, "role", "请从列表中选择角色")
        self.assertEqual(User.objects.count(), count)

    def test_edit_records_old_and_new(self) -> None:
        url = f"/org/people/{self.lead_liaison.pk}/edit/"
        data = {"full_name": "孙联络", "phone": "0816-2345678", "title": "科员", "is_active": "on"}
        response = self.post("admin", url, data)
        self.assertRedirects(response, f"/org/people/{self.lead_liaison.pk}/")
        person = User.objects.get(pk=self.lead_liaison.pk)
        self.assertEqual((person.full_name, person.phone), ("孙联络", "0816-2345678"))
        (event,) = self.events(person, EventType.USER_UPDATED)
        self.assertEqual(event.details["full_name"], ["lead_liaison", "孙联络"])
        self.assertEqual(event.details["phone"], ["", "0816-2345678"])

    def test_bad_phone_is_refused(self) -> None:
        url = f"/org/people/{self.lead_liaison.pk}/edit/"
        data = {"full_name": "改名", "phone": "12345", "is_active": "on"}
        response = self.post("admin", url, data)
        self.assert_refused(response, "phone", "电话号码格式不正确")
        person = User.objects.get(pk=self.lead_liaison.pk)
        self.assertEqual((person.full_name, person.phone), ("lead_liaison", ""))
        self.assertEqual(self.events(person, EventType.USER_UPDATED), [])

    def test_set_password(self) -> None:
        url = f"/org/people/{self.lead_liaison.pk}/password/"
        response = self.post("admin", url, {"password": "Qx7!river", "password2": "Qx7!rivex"})
        self.assert_refused(response, "password2", "两次输入的密码不一致")
        response = self.post("admin", url, {"password": "Qx7!river", "password2": "Qx7!river"})
        self.assertRedirects(response, f"/org/people/{self.lead_liaison.pk}/")
        self.assertTrue(User.objects.get(pk=self.lead_liaison.pk).check_password("Qx7!river"))
        self.assertEqual(len(self.events(self.lead_liaison, EventType.USER_PASSWORD_SET)), 1)

    def test_grant_and_revoke_a_role(self) -> None:
        person = self.lead_liaison
        data = {"unit": self.lead.pk, "role": "unit_leader", "scope": self.lead.pk}
        response = self.post("admin", f"/org/people/{person.pk}/roles/new/", data)
        self.assertRedirects(response, f"/org/people/{person.pk}/")
        membership = Membership.objects.get(user=person, role="unit_leader")
        self.assertTrue(membership.active)
        granted = self.events(person, EventType.ROLE_GRANTED)[0]  # newest first
        self.assertEqual((granted.actor, granted.details["role"]), (self.admin, "unit_leader"))

        url = f"/org/people/{person.pk}/roles/{membership.pk}/revoke/"
        self.assertContains(self.as_("admin").get(url), "确认撤销")
        response = self.post("admin", url, {})
        self.assertRedirects(response, f"/org/people/{person.pk}/")
        self.assertFalse(Membership.objects.get(pk=membership.pk).active)
        (revoked,) = self.events(person, EventType.ROLE_REVOKED)
        self.assertEqual(revoked.details["role"], "unit_leader")
        # Revoked is gone from the revoke page: nothing left to confirm.
        self.assertEqual(self.as_("admin").get(url).status_code, 404)


class GroupPageTests(PageTestCase):
    def test_create_and_edit_a_group(self) -> None:
        data = {"name": "河长制工作领导小组", "office_unit": self.supervision.pk, "active": "on"}
        response = self.post("office", "/org/groups/new/", {**data, "head": "市长"})
        group = LeadingGroup.objects.get(name="河长制工作领导小组")
        self.assertRedirects(response, f"/org/groups/{group.pk}/")
        self.assertEqual((group.office_unit, group.head), (self.supervision, "市长"))
        self.assertEqual(len(self.events(group, EventType.GROUP_CREATED)), 1)

        # "active" left out: an unticked box deactivates the group.
        edit = {"name": group.name, "head": "市委书记", "doc_number": "T政发〔2026〕1号"}
        response = self.post("office_head", f"/org/groups/{group.pk}/edit/", edit)
        self.assertRedirects(response, f"/org/groups/{group.pk}/")
        group.refresh_from_db()
        self.assertEqual((group.head, group.active), ("市委书记", False))
        (event,) = self.events(group, EventType.GROUP_UPDATED)
        self.assertEqual(event.details["head"], ["市长", "市委书记"])

    def test_office_unit_must_be_in_scope(self) -> None:
        district = self.person("district_office2", self.district, "office")
        data = {"name": "新小组", "office_unit": self.supervision.pk}
        response = self.client_for(district).post("/org/groups/new/", data)
        self.assert_refused(response, "office_unit", "请从列表中选择办公室设在")
        self.assertFalse(LeadingGroup.objects.filter(name="新小组").exists())

    def test_duplicate_group_name_is_refused(self) -> None:
        count = LeadingGroup.objects.count()
        data = {"name": "质量强市工作领导小组", "office_unit": self.supervision.pk}
        response = self.post("office", "/org/groups/new/", data)
        self.assert_refused(response, "name", "已存在")
        self.assertEqual(LeadingGroup.objects.count(), count)

    def test_renaming_to_a_taken_name_is_refused(self) -> None:
        other = actions.create_group(actor=None, name="河长制工作领导小组", office_unit=self.city)
        url = f"/org/groups/{other.pk}/edit/"
        response = self.post("office", url, {"name": "质量强市工作领导小组", "active": "on"})
        self.assert_refused(response, "name", "领导小组 质量强市工作领导小组 已存在")
        other.refresh_from_db()
        self.assertEqual(other.name, "河长制工作领导小组")
        self.assertEqual(self.events(other, EventType.GROUP_UPDATED), [])

    def test_add_a_member_unit(self) -> None:
        url = f"/org/groups/{self.group.pk}/members/new/"
        data = {"unit": self.co.pk, "duty": "负责建设工程质量", "handler_name": "周干事"}
        response = self.post("office", url, {**data, "sort_order": 2})
        self.assertRedirects(response, f"/org/groups/{self.group.pk}/")
        member = self.group.members.get(unit=self.co)
        self.assertEqual((member.duty, member.handler_name), ("负责建设工程质量", "周干事"))
        added = self.events(self.group, EventType.GROUP_MEMBER_ADDED)[0]  # newest first
        self.assertEqual((added.actor, added.details["unit"]), (self.office, self.co.pk))
        # A seated unit is not offered again.
        response = self.post("office", url, {**data, "sort_order": 3})
        self.assert_refused(response, "unit", "请从列表中选择成员单位")

    def contacts(self, **changes: Any) -> dict[str, Any]:
        fields = {f: getattr(self.member, f) for f in GroupMember.CONTACT_FIELDS}
        return {**fields, **changes}

    def test_change_of_contacts_is_filed_in_the_history(self) -> None:
        """Seed 002 第五条: 人员调整及时报创建办备案 — the page's 变更记录 is that filing."""
        url = f"/org/groups/{self.group.pk}/members/{self.member.pk}/edit/"
        data = self.contacts(handler_name="吴干事", handler_phone="13900000009")
        response = self.post("office", url, data)
        self.assertRedirects(response, f"/org/groups/{self.group.pk}/")
        member = GroupMember.objects.get(pk=self.member.pk)
        self.assertEqual((member.handler_name, member.handler_phone), ("吴干事", "13900000009"))
        (event,) = self.events(self.group, EventType.GROUP_MEMBER_UPDATED)
        self.assertEqual(event.actor, self.office)
        self.assertEqual(event.details["handler_name"], ["孙干事", "吴干事"])
        self.assertEqual(event.details["handler_phone"], ["13800000003", "13900000009"])
        page = self.as_("office").get(f"/org/groups/{self.group.pk}/")
        self.assertContains(page, "成员单位人员调整")
        self.assertContains(page, "吴干事")

    def test_bad_contact_phone_is_refused(self) -> None:
        url = f"/org/groups/{self.group.pk}/members/{self.member.pk}/edit/"
        data = self.contacts(leader_name="新领导", leader_phone="139-bad")
        response = self.post("office", url, data)
        self.assert_refused(response, "leader_phone", "电话号码格式不正确")
        member = GroupMember.objects.get(pk=self.member.pk)
        self.assertEqual((member.leader_name, member.leader_phone), ("钱副主任", "13800000001"))
        self.assertEqual(self.events(self.group, EventType.GROUP_MEMBER_UPDATED), [])

    def test_remove_a_member_after_confirming(self) -> None:
        url = f"/org/groups/{self.group.pk}/members/{self.member.pk}/remove/"
        page = self.as_("office").get(url)
        self.assertContains(page, "确认移除")
        self.assertTrue(GroupMember.objects.filter(pk=self.member.pk).exists())
        response = self.post("office", url, {})
        self.assertRedirects(response, f"/org/groups/{self.group.pk}/")
        self.assertFalse(GroupMember.objects.filter(pk=self.member.pk).exists())
        (event,) = self.events(self.group, EventType.GROUP_MEMBER_REMOVED)
        self.assertEqual(event.details["unit_name"], "市发改委")
