"""The presets load from the seeds, one is active, and switching is an audited action."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction

from duban.assessment import actions
from duban.assessment.models import Preset
from duban.assessment.tests.base import AssessmentTestCase
from duban.audit.models import Event
from duban.audit.types import EventType


class PresetTest(AssessmentTestCase):
    def test_presets_cite_the_seeds(self) -> None:
        presets = {p.code: p for p in Preset.objects.all()}
        self.assertEqual(set(presets), {"jinan", "mianyang", "qijiang"})
        self.assertEqual(Preset.objects.current(), presets["jinan"])
        self.assertEqual(
            [r.measure for r in self.ladder("qijiang")],
            ["supervise", "letter", "notice", "interview", "special"],
        )
        self.assertTrue(all("000 第" in r.article for r in self.ladder("qijiang")))
        veto = [r for r in self.ladder("mianyang") if r.veto]
        self.assertEqual([(r.measure, r.applier) for r in veto], [("accountability", "leader")])
        self.assertIn("第三十条", veto[0].article)
        jinan = [(r.trigger, r.threshold, r.measure) for r in self.rules("jinan")]
        self.assertEqual(
            jinan,
            [
                ("late", 5, "criticism"),
                ("count", 2, "admonition"),
                ("unimproved", 10, "admonition"),
                ("count", 3, "discipline"),
            ],
        )
        self.assertTrue(all(r.article.startswith("004 第二十条") for r in self.rules("jinan")))

    def test_one_active_preset(self) -> None:
        with self.assertRaises(IntegrityError), transaction.atomic():
            Preset.objects.filter(code="qijiang").update(active=True)

    def test_activate_is_an_audited_admin_action(self) -> None:
        qijiang = Preset.objects.get(code="qijiang")
        with self.assertRaises(PermissionDenied):
            actions.activate_preset(qijiang, actor=self.refreshed(self.office_head))
        actions.activate_preset(qijiang, actor=self.refreshed(self.admin))
        self.assertEqual(Preset.objects.current(), qijiang)
        event = Event.objects.get(type=EventType.ASSESSMENT_PRESET_ACTIVATED)
        self.assertEqual(event.details["preset"][1], qijiang.name)
