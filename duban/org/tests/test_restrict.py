"""`restrict(user, action)` per persona: a person sees their jurisdiction and nothing else."""

from __future__ import annotations

from django.contrib.auth.models import AnonymousUser

from duban.core.testing import PersonaTestCase
from duban.org import actions
from duban.org.models import LeadingGroup, Membership, Unit, User


class UnitScopeTests(PersonaTestCase):
    def visible(self, user: object) -> set[str]:
        return set(Unit.objects.restrict(user, "view").values_list("code", flat=True))

    def test_city_wide_roles_see_every_unit(self) -> None:
        everything = set(Unit.objects.values_list("code", flat=True))
        for user in (self.office, self.office_head, self.leader, self.auditor, self.admin):
            with self.subTest(user=user.username):
                self.assertEqual(self.visible(self.refreshed(user)), everything)

    def test_lead_unit_people_see_their_subtree_only(self) -> None:
        for user in (self.lead_liaison, self.lead_leader):
            with self.subTest(user=user.username):
                self.assertEqual(self.visible(self.refreshed(user)), {"T-FGW", "T-FGW-1"})

    def test_sibling_liaison_sees_none_of_the_lead_unit(self) -> None:
        self.assertEqual(self.visible(self.refreshed(self.sibling_liaison)), {"T-SCJG"})

    def test_district_office_sees_its_district(self) -> None:
        self.assertEqual(self.visible(self.refreshed(self.district_office)), {"T-DH", "T-DH-1"})

    def test_inspector_sees_the_office_only(self) -> None:
        self.assertEqual(self.visible(self.refreshed(self.inspector)), {"T-DCS"})

    def test_anonymous_sees_nothing(self) -> None:
        self.assertEqual(self.visible(AnonymousUser()), set())

    def test_inactive_person_sees_nothing(self) -> None:
        actions.update_user(self.lead_liaison, actor=None, is_active=False)
        self.assertEqual(self.visible(self.refreshed(self.lead_liaison)), set())

    def test_revoked_role_no_longer_reaches(self) -> None:
        membership = Membership.objects.get(user=self.lead_liaison)
        actions.revoke_role(membership, actor=None)
        self.assertEqual(self.visible(self.refreshed(self.lead_liaison)), set())

    def test_manage_is_for_administrators(self) -> None:
        self.assertEqual(Unit.objects.restrict(self.refreshed(self.office), "manage").count(), 0)
        self.assertEqual(
            Unit.objects.restrict(self.refreshed(self.admin), "manage").count(),
            Unit.objects.count(),
        )

    def test_a_moved_unit_moves_with_its_subtree(self) -> None:
        actions.move_unit(self.lead, self.district, actor=None)
        self.assertTrue(self.visible(self.refreshed(self.district_office)) >= {"T-FGW", "T-FGW-1"})
        section = Unit.objects.get(code="T-FGW-1")
        self.assertEqual(section.depth, 3)
        self.assertTrue(section.path.startswith(Unit.objects.get(code="T-DH").path))


class PeopleAndGroupScopeTests(PersonaTestCase):
    def test_liaison_sees_people_of_own_unit_and_self(self) -> None:
        names = set(
            User.objects.restrict(self.refreshed(self.lead_liaison), "view").values_list(
                "username", flat=True
            )
        )
        self.assertEqual(names, {"lead_liaison", "lead_leader"})

    def test_sibling_liaison_cannot_see_lead_unit_people(self) -> None:
        names = set(
            User.objects.restrict(self.refreshed(self.sibling_liaison), "view").values_list(
                "username", flat=True
            )
        )
        self.assertEqual(names, {"sibling_liaison"})

    def test_group_visible_inside_office_units_scope(self) -> None:
        group = actions.create_group(
            actor=None, name="质量强市工作领导小组", office_unit=self.sibling
        )
        self.assertIn(group, LeadingGroup.objects.restrict(self.refreshed(self.office), "view"))
        self.assertIn(group, LeadingGroup.objects.restrict(self.refreshed(self.sibling_liaison)))
        self.assertNotIn(group, LeadingGroup.objects.restrict(self.refreshed(self.lead_liaison)))


class PageScopeTests(PersonaTestCase):
    def test_unit_outside_scope_is_404_like_a_missing_one(self) -> None:
        client = self.client_for(self.sibling_liaison)
        self.assertEqual(client.get(f"/org/units/{self.lead.pk}/").status_code, 404)
        self.assertEqual(client.get("/org/units/999999/").status_code, 404)
        self.assertEqual(client.get(f"/org/units/{self.sibling.pk}/").status_code, 200)

    def test_person_outside_scope_is_404(self) -> None:
        client = self.client_for(self.sibling_liaison)
        self.assertEqual(client.get(f"/org/people/{self.lead_liaison.pk}/").status_code, 404)

    def test_anonymous_is_sent_to_sign_in(self) -> None:
        response = self.client_for(None).get(f"/org/units/{self.lead.pk}/")
        self.assertEqual(response.status_code, 302)
        self.assertIn("/accounts/login/", response["Location"])

    def test_unit_list_shows_only_scope(self) -> None:
        body = self.client_for(self.lead_liaison).get("/org/").content.decode()
        self.assertIn("市发改委", body)
        self.assertNotIn("市市场监管局", body)


class ManagePersonTests(PersonaTestCase):
    def test_admin_of_a_second_unit_can_edit_the_person_there(self) -> None:
        district_admin = self.person("district_admin", self.district, "admin")
        actions.grant_role(self.lead_liaison, self.town, "liaison", actor=None)
        actions.update_user(
            self.lead_liaison, actor=self.refreshed(district_admin), title="镇联络员"
        )
        self.assertEqual(User.objects.get(pk=self.lead_liaison.pk).title, "镇联络员")

    def test_admin_elsewhere_is_refused(self) -> None:
        from django.core.exceptions import PermissionDenied

        district_admin = self.person("district_admin", self.district, "admin")
        with self.assertRaises(PermissionDenied):
            actions.update_user(self.lead_liaison, actor=self.refreshed(district_admin), title="x")


class AuditScopeTests(PersonaTestCase):
    def test_office_reads_events_in_scope_liaison_reads_none(self) -> None:
        from duban.audit.models import Event

        self.assertTrue(Event.objects.restrict(self.refreshed(self.office)).exists())
        self.assertFalse(Event.objects.restrict(self.refreshed(self.lead_liaison)).exists())
        district = set(
            Event.objects.restrict(self.refreshed(self.district_office)).values_list(
                "unit__code", flat=True
            )
        )
        self.assertEqual(district, {"T-DH", "T-DH-1"})
