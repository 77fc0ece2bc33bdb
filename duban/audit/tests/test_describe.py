from __future__ import annotations

from duban.audit.describe import describe
from duban.audit.models import Event
from duban.audit.types import EventType
from duban.core.testing import PersonaTestCase
from duban.org import actions


class DescribeTests(PersonaTestCase):
    def test_changes_read_as_field_old_to_new(self) -> None:
        actions.update_unit(self.lead, actor=self.admin, name="市发展改革委", active=False)
        event = Event.objects.filter(type=EventType.UNIT_UPDATED).latest("seq")
        self.assertEqual(
            sorted(event.detail_lines), ["单位名称:市发改委 → 市发展改革委", "启用:是 → 否"]
        )

    def test_member_fields_are_named_on_group_events(self) -> None:
        group = actions.create_group(actor=None, name="领导小组", office_unit=self.sibling)
        member = actions.add_group_member(group, self.lead, actor=None, handler_name="甲")
        actions.update_group_member(member, actor=None, handler_name="乙")
        event = Event.objects.filter(type=EventType.GROUP_MEMBER_UPDATED).latest("seq")
        self.assertIn("具体承办人:甲 → 乙", event.detail_lines)

    def test_unknown_fields_keep_their_key(self) -> None:
        self.assertEqual(describe("", {"x": 1}), ["x:1"])
