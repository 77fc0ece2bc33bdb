"""规则设置 pages: who may edit; edits go through the audited actions, bad input fails."""

from __future__ import annotations

from typing import Any

from django.urls import reverse

from duban.assessment.models import AccountabilityRule, LadderRule, Preset
from duban.audit.models import Event
from duban.audit.types import EventType
from duban.core.testing import PersonaTestCase
from duban.items.models import LightRule, ReminderKind, ReminderRule, SourceRule
from duban.org.models import User
from duban.rulesets.views import FAMILIES


class RulePageTests(PersonaTestCase):
    def setUp(self) -> None:
        self.light = LightRule.objects.get(source="")
        self.reminder = ReminderRule.objects.get(source="", kind=ReminderKind.BEFORE_DUE)
        self.jinan = Preset.objects.get(code="jinan")

    def status(self, user: User | None, url: str, data: dict[str, Any] | None = None) -> int:
        client = self.client_for(user)
        return (client.post(url, data) if data is not None else client.get(url)).status_code

    def test_permission_matrix(self) -> None:
        lists = [reverse("rulesets:hub")] + [reverse("rulesets:list", args=[s]) for s in FAMILIES]
        for url in lists:
            with self.subTest(url=url):
                for user in (self.admin, self.office_head):
                    self.assertEqual(self.status(user, url), 200)
                for user in (self.office, self.lead_liaison, self.auditor):
                    self.assertEqual(self.status(user, url), 403)
                self.assertEqual(self.status(None, url), 302)
        # Item rules: administrators and office heads edit them, as they do deadline rules.
        item_edits = [
            reverse("rulesets:edit", args=["lights", self.light.pk]),
            reverse("rulesets:edit", args=["reminders", self.reminder.pk]),
            reverse("rulesets:edit", args=["sources", SourceRule.objects.first().pk]),  # type: ignore[union-attr]
            reverse("rulesets:new", args=["reminders"]),
        ]
        # The ladders propose measures against units: administrators only.
        ladder = LadderRule.objects.filter(preset=self.jinan).first()
        rung = AccountabilityRule.objects.filter(preset=self.jinan).first()
        admin_edits = [
            reverse("rulesets:edit", args=["ladder", ladder.pk]),  # type: ignore[union-attr]
            reverse("rulesets:edit", args=["accountability", rung.pk]),  # type: ignore[union-attr]
        ]
        for url in item_edits + admin_edits:
            with self.subTest(url=url):
                self.assertEqual(self.status(self.admin, url), 200)
                head = 200 if url in item_edits else 403
                self.assertEqual(self.status(self.office_head, url), head)
                for user in (self.office, self.lead_liaison):
                    self.assertEqual(self.status(user, url), 403)
                self.assertEqual(self.status(None, url), 302)
        activate = reverse("rulesets:activate", args=[self.jinan.pk])
        self.assertEqual(self.status(self.office_head, activate, {}), 403)

    def test_hub_is_linked_from_the_calendar_tabs_and_lists_the_families(self) -> None:
        client = self.client_for(self.office_head)
        page = client.get(reverse("workdays:rules"))
        self.assertContains(page, reverse("rulesets:hub"))
        hub = client.get(reverse("rulesets:hub"))
        for family in FAMILIES.values():
            self.assertContains(hub, str(family.title))
        self.assertContains(hub, "济南市政府督促检查工作规则")
        self.assertNotContains(hub, "启用此预设")  # choosing the preset is for administrators

    def light_data(self, **changes: Any) -> dict[str, Any]:
        return {"yellow_within": self.light.yellow_within, "note": self.light.note, **changes}

    def test_an_edit_is_saved_and_audited_with_before_and_after(self) -> None:
        before = self.light.yellow_within
        url = reverse("rulesets:edit", args=["lights", self.light.pk])
        response = self.client_for(self.office_head).post(url, self.light_data(yellow_within=5))
        self.assertRedirects(response, reverse("rulesets:list", args=["lights"]))
        self.light.refresh_from_db()
        self.assertEqual(self.light.yellow_within, 5)
        event = Event.objects.get(type=EventType.LIGHT_RULE_UPDATED)
        self.assertEqual(event.details, {"yellow_within": [before, 5]})
        self.assertEqual(event.actor_id, self.office_head.pk)
        # Saving the same values again changes nothing and records nothing.
        self.client_for(self.office_head).post(url, self.light_data())
        self.assertEqual(Event.objects.filter(type=EventType.LIGHT_RULE_UPDATED).count(), 1)

    def test_a_negative_threshold_is_refused_naming_the_field(self) -> None:
        url = reverse("rulesets:edit", args=["lights", self.light.pk])
        response = self.client_for(self.admin).post(url, self.light_data(yellow_within=-1))
        self.assertContains(response, "黄灯提前工作日数须为 0 至 250", status_code=400)
        self.assertEqual(LightRule.objects.get(pk=self.light.pk).yellow_within, 3)
        self.assertFalse(Event.objects.filter(type=EventType.LIGHT_RULE_UPDATED).exists())

    def reminder_data(self, **changes: Any) -> dict[str, Any]:
        rule = self.reminder
        fields = ("source", "kind", "days", "recipients", "message", "note")
        return {**{f: getattr(rule, f) for f in fields}, "active": "on", **changes}

    def test_an_unknown_placeholder_is_refused_and_nothing_changes(self) -> None:
        url = reverse("rulesets:edit", args=["reminders", self.reminder.pk])
        bad = self.reminder_data(days=1, message="「{title}」将于{deadline}到期")
        response = self.client_for(self.admin).post(url, bad)
        self.assertContains(response, "提醒内容含未知占位符 {deadline}", status_code=400)
        fresh = ReminderRule.objects.get(pk=self.reminder.pk)
        self.assertEqual((fresh.days, fresh.message), (self.reminder.days, self.reminder.message))
        self.assertFalse(Event.objects.filter(type=EventType.REMINDER_RULE_UPDATED).exists())

    def test_a_reminder_rule_is_deactivated_and_a_new_one_created(self) -> None:
        client = self.client_for(self.admin)
        url = reverse("rulesets:edit", args=["reminders", self.reminder.pk])
        data = self.reminder_data()
        del data["active"]
        self.assertEqual(client.post(url, data).status_code, 302)
        self.assertFalse(ReminderRule.objects.get(pk=self.reminder.pk).active)
        event = Event.objects.get(type=EventType.REMINDER_RULE_UPDATED)
        self.assertEqual(event.details, {"active": [True, False]})
        new = self.reminder_data(source="npc_suggestion", days=0, kind="overdue_every")
        response = client.post(reverse("rulesets:new", args=["reminders"]), new)
        self.assertContains(response, "工作日数须为 1 至 250", status_code=400)
        new["days"] = 4
        self.assertEqual(
            client.post(reverse("rulesets:new", args=["reminders"]), new).status_code, 302
        )
        self.assertTrue(ReminderRule.objects.filter(source="npc_suggestion", days=4).exists())
        self.assertTrue(Event.objects.filter(type=EventType.REMINDER_RULE_CREATED).exists())

    def ladder_data(self, rule: LadderRule, **changes: Any) -> dict[str, Any]:
        fields = ("measure", "trigger", "threshold", "applier", "article")
        data = {f: getattr(rule, f) for f in fields}
        data.update({"active": "on"} if rule.active else {})
        data.update({"veto": "on"} if rule.veto else {})
        return {**data, **changes}

    def test_a_ladder_whose_thresholds_do_not_rise_is_refused(self) -> None:
        # Jinan: step 1 remind at 0 working days overdue, step 2 supervise at 3.
        step2 = LadderRule.objects.get(preset=self.jinan, step=2)
        url = reverse("rulesets:edit", args=["ladder", step2.pk])
        client = self.client_for(self.admin)
        response = client.post(url, self.ladder_data(step2, threshold=0))
        self.assertContains(response, "阈值须随步骤递增", status_code=400)
        self.assertEqual(LadderRule.objects.get(pk=step2.pk).threshold, 3)
        self.assertEqual(client.post(url, self.ladder_data(step2, threshold=6)).status_code, 302)
        event = Event.objects.get(type=EventType.LADDER_RULE_UPDATED)
        self.assertEqual(event.details, {"threshold": [3, 6]})

    def test_a_ladder_step_is_added_after_the_last_and_audited(self) -> None:
        last = LadderRule.objects.filter(preset=self.jinan).order_by("-step").first()
        assert last is not None
        url = reverse("rulesets:new", args=["ladder"])
        client = self.client_for(self.admin)
        data = {**self.ladder_data(last, threshold=last.threshold), "preset": self.jinan.pk}
        data.update(step=last.step, measure="interview")
        response = client.post(url, data)
        self.assertContains(response, f"该预设已有第 {last.step} 步", status_code=400)
        data["step"] = last.step + 1
        response = client.post(url, data)  # the same threshold as the last step: must rise
        self.assertContains(response, "阈值须随步骤递增", status_code=400)
        self.assertFalse(LadderRule.objects.filter(preset=self.jinan, step=last.step + 1).exists())
        data["threshold"] = last.threshold + 5
        self.assertEqual(client.post(url, data).status_code, 302)
        added = LadderRule.objects.get(preset=self.jinan, step=last.step + 1)
        self.assertEqual((added.measure, added.threshold), ("interview", last.threshold + 5))
        event = Event.objects.get(type=EventType.LADDER_RULE_CREATED)
        self.assertEqual(event.details["step"], last.step + 1)
        self.assertEqual(self.status(self.office, url, data), 403)

    def test_an_accountability_rung_is_added(self) -> None:
        url = reverse("rulesets:new", args=["accountability"])
        data = {
            "preset": self.jinan.pk,
            "step": 9,
            "trigger": "count",
            "threshold": 4,
            "counted_measure": "",
            "measure": "discipline",
            "basis": "年度内四次通报批评的,移交纪检监察机关。",
            "article": "自定",
            "active": "on",
        }
        client = self.client_for(self.admin)
        self.assertContains(client.post(url, data), "须选择所计措施", status_code=400)
        data["counted_measure"] = "notice"
        self.assertEqual(client.post(url, data).status_code, 302)
        rung = AccountabilityRule.objects.get(preset=self.jinan, step=9)
        self.assertEqual((rung.threshold, rung.counted_measure), (4, "notice"))
        self.assertTrue(Event.objects.filter(type=EventType.ACCOUNTABILITY_RULE_CREATED).exists())

    def test_a_counting_rung_needs_what_it_counts(self) -> None:
        rung = AccountabilityRule.objects.get(preset=self.jinan, step=2)
        data = {
            "trigger": rung.trigger,
            "threshold": rung.threshold,
            "counted_measure": "",
            "measure": rung.measure,
            "basis": rung.basis,
            "article": rung.article,
            "active": "on",
        }
        url = reverse("rulesets:edit", args=["accountability", rung.pk])
        response = self.client_for(self.admin).post(url, data)
        self.assertContains(response, "须选择所计措施", status_code=400)
        # Step 4 counts 3 通报批评: step 2 may not ask for 3 as well.
        data.update(counted_measure=rung.counted_measure, threshold=3)
        response = self.client_for(self.admin).post(url, data)
        self.assertContains(response, "阈值须随步骤递增", status_code=400)
        self.assertEqual(AccountabilityRule.objects.get(pk=rung.pk).threshold, 2)

    def test_an_administrator_activates_a_preset_from_the_hub(self) -> None:
        mianyang = Preset.objects.get(code="mianyang")
        client = self.client_for(self.admin)
        self.assertContains(client.get(reverse("rulesets:hub")), "启用此预设")
        response = client.post(reverse("rulesets:activate", args=[mianyang.pk]))
        self.assertRedirects(response, reverse("rulesets:hub"))
        self.assertEqual(Preset.objects.current(), mianyang)
