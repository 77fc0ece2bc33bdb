"""The one test base: a small city and a person for every role (after Healthchecks' hc/test.py).

测试市 (root)
├── 市政府办公室 ── 市政府督查室        office, office_head, inspector sit here
├── 市发改委 ── 综合科                  the lead unit: liaison and unit leader
├── 市住建局                            a co-operating unit: co_liaison
├── 市市场监管局                        a sibling unit: sibling_liaison must see nothing of 发改委
├── 市纪委监委                          auditor
└── 东湖区 ── 青石镇                    district office staff
"""

from __future__ import annotations

from django.test import Client, TestCase

from duban.org import actions
from duban.org.models import Role, Unit, User


class PersonaTestCase(TestCase):
    city: Unit
    gov_office: Unit
    supervision: Unit
    lead: Unit
    lead_section: Unit
    co: Unit
    sibling: Unit
    discipline: Unit
    district: Unit
    town: Unit

    admin: User
    office: User
    office_head: User
    leader: User
    lead_liaison: User
    lead_leader: User
    co_liaison: User
    sibling_liaison: User
    inspector: User
    auditor: User
    district_office: User

    @classmethod
    def unit(cls, code: str, name: str, kind: str, parent: Unit | None) -> Unit:
        return actions.create_unit(actor=None, code=code, name=name, kind=kind, parent=parent)

    @classmethod
    def person(cls, username: str, unit: Unit, role: str, scope: Unit | None = None) -> User:
        user = actions.create_user(actor=None, username=username, full_name=username)
        actions.grant_role(user, unit, role, actor=None, scope=scope)
        return user

    @classmethod
    def setUpTestData(cls) -> None:
        cls.city = cls.unit("T", "测试市", "other", None)
        cls.gov_office = cls.unit("T-ZFB", "市政府办公室", "government", cls.city)
        cls.supervision = cls.unit("T-DCS", "市政府督查室", "government", cls.gov_office)
        cls.lead = cls.unit("T-FGW", "市发改委", "department", cls.city)
        cls.lead_section = cls.unit("T-FGW-1", "综合科", "department", cls.lead)
        cls.co = cls.unit("T-ZJ", "市住建局", "department", cls.city)
        cls.sibling = cls.unit("T-SCJG", "市市场监管局", "department", cls.city)
        cls.discipline = cls.unit("T-JW", "市纪委监委", "party", cls.city)
        cls.district = cls.unit("T-DH", "东湖区", "government", cls.city)
        cls.town = cls.unit("T-DH-1", "青石镇", "township", cls.district)

        cls.admin = cls.person("admin", cls.gov_office, Role.ADMIN, cls.city)
        cls.office = cls.person("office", cls.supervision, Role.OFFICE, cls.city)
        cls.office_head = cls.person("office_head", cls.supervision, Role.OFFICE_HEAD, cls.city)
        cls.leader = cls.person("leader", cls.gov_office, Role.LEADER, cls.city)
        cls.lead_liaison = cls.person("lead_liaison", cls.lead, Role.LIAISON)
        cls.lead_leader = cls.person("lead_leader", cls.lead, Role.UNIT_LEADER)
        cls.co_liaison = cls.person("co_liaison", cls.co, Role.LIAISON)
        cls.sibling_liaison = cls.person("sibling_liaison", cls.sibling, Role.LIAISON)
        cls.inspector = cls.person("inspector", cls.supervision, Role.INSPECTOR)
        cls.auditor = cls.person("auditor", cls.discipline, Role.AUDITOR, cls.city)
        cls.district_office = cls.person("district_office", cls.district, Role.OFFICE)

    def refreshed(self, user: User) -> User:
        """A fresh copy, so cached scopes from an earlier call do not leak between checks."""
        return User.objects.get(pk=user.pk)

    def client_for(self, user: User | None) -> Client:
        client = Client()
        if user is not None:
            client.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
        return client
