"""The Jinan preset rules (seed 004 第十六条), their caps, and audited edits."""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import PermissionDenied, ValidationError

from duban.audit.models import Event
from duban.audit.types import EventType
from duban.core.testing import PersonaTestCase
from duban.workdays import actions
from duban.workdays.deadline import DeadlineError
from duban.workdays.models import DeadlineRule
from duban.workdays.rules import rule_by_name, rule_deadline
from duban.workdays.tests.helpers import national

D = dt.date.fromisoformat


class RuleTests(PersonaTestCase):
    def test_jinan_preset_is_loaded_with_its_articles(self) -> None:
        rules = {rule.name: rule for rule in DeadlineRule.objects.all()}
        self.assertEqual(
            {name: (rule.kind, rule.count) for name, rule in rules.items()},
            {
                "领导批示": ("working_days", 3),
                "上级批示": ("working_days", 7),
                "常务会议": ("working_days", 10),
                "政府工作报告": ("quarter_report", 15),
                "人大建议": ("months", 3),
                "政协提案": ("months", 3),
            },
        )
        self.assertIn("第十六条(六)", rules["领导批示"].article)
        self.assertEqual(rules["人大建议"].max_extension, 3)
        self.assertEqual(rules["政府工作报告"].period_text, "每季度结束后15日内")

    def test_rule_deadlines(self) -> None:
        leader = rule_deadline(rule_by_name("领导批示"), national(), D("2026-04-29"))
        self.assertEqual(leader.due, D("2026-05-07"))  # 4月30日, 5月6日, 5月7日
        self.assertIn("第十六条(六)", leader.explanation)
        meeting = rule_deadline(rule_by_name("常务会议"), national(), D("2026-04-30"))
        self.assertEqual(meeting.due, D("2026-05-18"))

    def test_proposals_take_three_months_at_most_six(self) -> None:
        rule = rule_by_name("人大建议")
        self.assertEqual(rule_deadline(rule, national(), D("2026-03-10")).due, D("2026-06-10"))
        longest = rule_deadline(rule, national(), D("2026-03-10"), extension=3)
        self.assertEqual(longest.due, D("2026-09-10"))
        with self.assertRaises(DeadlineError) as error:
            rule_deadline(rule, national(), D("2026-03-10"), extension=4)
        self.assertEqual(error.exception.field, "extension")

    def test_unknown_rule_names_the_field(self) -> None:
        with self.assertRaises(DeadlineError) as error:
            rule_by_name("不存在的规则")
        self.assertEqual(error.exception.field, "rule")

    def test_office_head_edits_a_rule_and_it_is_audited(self) -> None:
        rule = rule_by_name("领导批示")
        actions.update_rule(rule, actor=self.refreshed(self.office_head), count=5)
        self.assertEqual(DeadlineRule.objects.get(pk=rule.pk).count, 5)
        event = Event.objects.get(type=EventType.DEADLINE_RULE_UPDATED)
        self.assertEqual(event.details, {"count": [3, 5]})

    def test_liaison_may_not_edit_rules(self) -> None:
        with self.assertRaises(PermissionDenied):
            actions.update_rule(
                rule_by_name("领导批示"), actor=self.refreshed(self.lead_liaison), count=5
            )

    def test_create_rule_validates_each_field(self) -> None:
        admin = self.refreshed(self.admin)
        for name, kind, count, field in [
            ("", "days", 5, "name"),
            ("专题会议", "weeks", 5, "kind"),
            ("专题会议", "days", 0, "count"),
            ("领导批示", "days", 5, "name"),
        ]:
            with self.assertRaises(ValidationError) as error:
                actions.create_rule(actor=admin, name=name, kind=kind, count=count)
            self.assertIn(field, error.exception.message_dict)
        rule = actions.create_rule(actor=admin, name="专题会议", kind="working_days", count=5)
        self.assertEqual(
            Event.objects.get(type=EventType.DEADLINE_RULE_CREATED).target_id, str(rule.pk)
        )
