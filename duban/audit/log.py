"""Writing and verifying the event log. Actions call `record` inside their transaction."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from django.db import models, transaction
from django.utils.translation import gettext as _

from duban.audit.chain import GENESIS, HASH_FIELDS, Break, event_hash
from duban.audit.models import ChainHead, Event
from duban.audit.types import EventType
from duban.core import clock


def record(
    type: EventType,
    *,
    actor: Any,
    unit: Any = None,
    target: models.Model | None = None,
    details: dict[str, Any] | None = None,
) -> Event:
    """Append one event. Must run inside the action's transaction, so both commit or neither."""
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("audit.record must run inside the action's transaction")
    # The head row lock serialises appends, so two writers can never fork the chain.
    head = _locked_head()
    actor_id = actor.pk if actor is not None and getattr(actor, "pk", None) else None
    fields: dict[str, Any] = {
        "seq": head.seq + 1,
        "type": int(type),
        "actor_id": actor_id,
        "unit_id": unit.pk if unit is not None else None,
        "target_model": target._meta.label_lower if target is not None else "",
        "target_id": str(target.pk) if target is not None else "",
        "target_repr": str(target)[:200] if target is not None else "",
        "details": details or {},
        "created_at": clock.now(),
        "prev_hash": head.hash,
    }
    fields["hash"] = event_hash(**fields)
    event = Event.objects.create(**fields)
    ChainHead.objects.filter(pk=1).update(seq=event.seq, hash=event.hash)
    return event


def _locked_head() -> ChainHead:
    # The migration creates the head; a flushed test database (or a new one) may not have it.
    head, _created = ChainHead.objects.select_for_update().get_or_create(
        pk=1, defaults={"seq": 0, "hash": GENESIS}
    )
    return head


def _rows() -> Iterator[dict[str, Any]]:
    return Event.objects.order_by("seq").values(*HASH_FIELDS, "hash").iterator(chunk_size=2000)


def verify() -> Break | None:
    """The first broken link, or None when every event and the head agree."""
    expected_seq, prev = 1, GENESIS
    for row in _rows():
        stored = row.pop("hash")
        if row["seq"] != expected_seq:
            return Break(
                expected_seq,
                _("序号不连续:缺少第 %(seq)d 号事件,或有事件被插入。") % {"seq": expected_seq},
            )
        if row["prev_hash"] != prev:
            return Break(row["seq"], _("前一事件哈希不符:前一事件被删除、插入或修改。"))
        if event_hash(**row) != stored:
            return Break(row["seq"], _("内容与哈希不符:该事件被修改。"))
        expected_seq, prev = expected_seq + 1, stored
    head = ChainHead.objects.filter(pk=1).first() or ChainHead(seq=0, hash=GENESIS)
    if head.seq != expected_seq - 1 or head.hash != prev:
        return Break(expected_seq, _("链尾与链头记录不符:最后的事件被删除或在链尾插入了事件。"))
    return None


def count() -> int:
    return Event.objects.count()


__all__ = ["GENESIS", "record", "verify"]
