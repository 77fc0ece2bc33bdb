"""The hash chain detects an edited, a deleted and an inserted row."""

from __future__ import annotations

from io import StringIO
from typing import Any

from django.core.exceptions import ValidationError
from django.core.management import CommandError, call_command
from django.db import connection

from duban.audit.log import verify
from duban.audit.models import AppendOnlyError, Event
from duban.core.testing import PersonaTestCase
from duban.org import actions


class ChainTests(PersonaTestCase):
    def raw(self, sql: str, params: list[Any]) -> None:
        with connection.cursor() as cursor:
            cursor.execute(sql, params)

    def test_intact_chain_verifies(self) -> None:
        self.assertIsNone(verify())
        out = StringIO()
        call_command("verify_audit", stdout=out)
        self.assertIn("审计日志完整", out.getvalue())

    def test_org_changes_write_events_in_order(self) -> None:
        before = Event.objects.count()
        unit = actions.create_unit(
            actor=self.admin, code="NEW", name="新单位", kind="other", parent=self.city
        )
        actions.update_unit(unit, actor=self.admin, name="新单位二")
        events = list(Event.objects.order_by("seq")[before:])
        self.assertEqual([e.type for e in events], [100, 101])
        self.assertEqual(events[1].details, {"name": ["新单位", "新单位二"]})
        self.assertEqual(events[1].actor, self.admin)
        self.assertEqual(events[1].prev_hash, events[0].hash)

    def test_edited_row_is_detected(self) -> None:
        victim = Event.objects.order_by("seq")[3]
        self.raw(
            f"UPDATE {Event._meta.db_table} SET target_repr = %s WHERE id = %s", ["篡改", victim.pk]
        )
        broken = verify()
        assert broken is not None
        self.assertEqual(broken.seq, victim.seq)
        self.assertIn("被修改", broken.reason)
        with self.assertRaisesRegex(CommandError, f"第 {victim.seq} 号"):
            call_command("verify_audit", stdout=StringIO())

    def test_deleted_row_is_detected(self) -> None:
        victim = Event.objects.order_by("seq")[5]
        self.raw(f"DELETE FROM {Event._meta.db_table} WHERE id = %s", [victim.pk])
        broken = verify()
        assert broken is not None
        self.assertEqual(broken.seq, victim.seq)

    def test_deleted_last_row_is_detected(self) -> None:
        last = Event.objects.order_by("-seq").first()
        assert last is not None
        self.raw(f"DELETE FROM {Event._meta.db_table} WHERE id = %s", [last.pk])
        broken = verify()
        assert broken is not None
        self.assertEqual(broken.seq, last.seq)

    def test_inserted_row_is_detected(self) -> None:
        last = Event.objects.order_by("-seq").first()
        assert last is not None
        self.raw(
            f"INSERT INTO {Event._meta.db_table} (seq, type, target_model, target_id, target_repr,"
            " details, created_at, prev_hash, hash) VALUES (%s, 100, '', '', '', '{}', %s, %s, %s)",
            [last.seq + 1, last.created_at, last.hash, "f" * 64],
        )
        broken = verify()
        assert broken is not None
        self.assertEqual(broken.seq, last.seq + 1)

    def test_inserted_row_with_recomputed_hash_breaks_the_head(self) -> None:
        from duban.audit.chain import event_hash

        last = Event.objects.order_by("-seq").first()
        assert last is not None
        fields: dict[str, Any] = {
            "seq": last.seq + 1,
            "type": 100,
            "actor_id": None,
            "unit_id": None,
            "target_model": "",
            "target_id": "",
            "target_repr": "",
            "details": {},
            "created_at": last.created_at,
            "prev_hash": last.hash,
        }
        forged = event_hash(**fields)
        self.raw(
            f"INSERT INTO {Event._meta.db_table} (seq, type, target_model, target_id, target_repr,"
            " details, created_at, prev_hash, hash) VALUES (%s, 100, '', '', '', '{}', %s, %s, %s)",
            [last.seq + 1, last.created_at, last.hash, forged],
        )
        broken = verify()
        assert broken is not None
        self.assertIn("链头", broken.reason)

    def test_events_refuse_update_and_delete_through_the_orm(self) -> None:
        event = Event.objects.first()
        assert event is not None
        with self.assertRaises(AppendOnlyError):
            event.save()
        with self.assertRaises(AppendOnlyError):
            event.delete()

    def test_a_failed_action_leaves_no_event(self) -> None:
        before = Event.objects.count()
        with self.assertRaises(ValidationError):
            actions.create_unit(
                actor=self.admin, code="T", name="重复", kind="other", parent=self.city
            )
        self.assertEqual(Event.objects.count(), before)
