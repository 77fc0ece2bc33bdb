"""An edited rule is the one the lights and the sweeps use (frozen moments, as in test_sweeps).

The 2025 calendar: 国庆 and 中秋 rest 10-01..10-08; Sunday 09-28 and Saturday 10-11 are 调休
working days. Preset values: yellow within 3 working days; remind 3 working days before; Jinan
supervises (ladder step 2) at 3 working days overdue.
"""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from duban.assessment.escalation import escalate
from duban.assessment.models import Escalation, LadderRule, Measure
from duban.items import actions as item_actions
from duban.items import sweeps
from duban.items.lights import with_light
from duban.items.models import Item, LightRule, ReminderKind, ReminderRule
from duban.items.tests.base import ItemTestCase
from duban.notify.models import Notification
from duban.rulesets import actions

D = dt.date


def at(day: dt.date, hour: int = 10) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time(hour)))


class EditedRulesTakeEffect(ItemTestCase):
    def due(self, day: dt.date) -> Item:
        item = self.draft(title=f"到期 {day}", time_limit=day)
        item_actions.assign(item, actor=self.office, lead_unit=self.lead, start=D(2025, 9, 1))
        return self.fresh(item)

    def light(self, item: Item, today: dt.date) -> str:
        return str(with_light(Item.objects.filter(pk=item.pk), today).get().light)

    def test_the_yellow_threshold_moves_the_lights(self) -> None:
        item = self.due(D(2025, 10, 14))  # 10-11 (调休), 10-13, 10-14: the 3rd working day
        self.assertEqual(self.light(item, D(2025, 10, 10)), "yellow")
        rule = LightRule.objects.get(source="")
        actions.update_light_rule(rule, actor=self.refreshed(self.office_head), yellow_within=1)
        self.assertEqual(self.light(item, D(2025, 10, 10)), "green")
        self.assertEqual(self.light(item, D(2025, 10, 13)), "yellow")

    def test_a_reminder_rule_day_count_and_message_reach_the_sweep(self) -> None:
        item = self.due(D(2025, 10, 9))
        rule = ReminderRule.objects.get(source="", kind=ReminderKind.BEFORE_DUE)
        actions.update_reminder_rule(
            rule, actor=self.refreshed(self.admin), days=1, message="请于{date}前办结「{title}」"
        )
        # Preset 3 days would remind on Sunday 09-28 (调休); 1 day waits for 09-30.
        self.assertEqual(sweeps.run(at(D(2025, 9, 28)), only=["deadlines"])[0].notified, 0)
        self.assertEqual(sweeps.run(at(D(2025, 9, 30)), only=["deadlines"])[0].notified, 1)
        [notice] = Notification.objects.filter(
            recipient=self.lead_liaison, kind="reminder_before_due"
        )
        self.assertEqual(notice.body, f"请于2025-10-09前办结「{item.title}」")

    def test_an_edited_ladder_step_is_the_one_escalation_uses(self) -> None:
        item = self.due(D(2025, 9, 30))
        step2 = LadderRule.objects.get(preset__code="jinan", step=2)
        actions.update_ladder_rule(step2, actor=self.refreshed(self.admin), threshold=5)
        escalate(D(2025, 10, 11))  # 10-09, 10-10, 10-11 (调休): the preset's 3 is not enough
        measures = Escalation.objects.filter(item=item).order_by("step")
        self.assertEqual(list(measures.values_list("measure", flat=True)), [Measure.REMIND])
        escalate(D(2025, 10, 14))  # 10-13 and 10-14 make 5 working days overdue
        self.assertEqual(
            list(measures.values_list("measure", flat=True)), [Measure.REMIND, Measure.SUPERVISE]
        )
