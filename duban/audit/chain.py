"""Hashing and verification of the event chain."""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

GENESIS = "0" * 64


def canonical(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, sort_keys=True, separators=(",", ":"))


def event_hash(
    *,
    seq: int,
    type: int,
    actor_id: int | None,
    unit_id: int | None,
    target_model: str,
    target_id: str,
    target_repr: str,
    details: Any,
    created_at: datetime,
    prev_hash: str,
) -> str:
    payload = canonical(
        [
            seq,
            type,
            actor_id,
            unit_id,
            target_model,
            target_id,
            target_repr,
            details,
            created_at.astimezone(UTC).isoformat(timespec="microseconds"),
            prev_hash,
        ]
    )
    return hashlib.sha256(payload.encode("utf-8")).hexdigest()


@dataclass(frozen=True)
class Break:
    seq: int
    reason: str


HASH_FIELDS = (
    "seq",
    "type",
    "actor_id",
    "unit_id",
    "target_model",
    "target_id",
    "target_repr",
    "details",
    "created_at",
    "prev_hash",
)
