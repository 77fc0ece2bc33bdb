"""发文字号: 〔year〕N号 per (office, kind, year), with no gap and no duplicate.

The counter row is created if missing (INSERT ... ON CONFLICT DO NOTHING, so two first issues of
a year do not collide) and then locked with SELECT ... FOR UPDATE inside the issuing
transaction: a second issuer waits until the first commits and then reads its number. A rolled
back issue rolls its increment back with it, so no number is lost. (On SQLite the IMMEDIATE
transaction already serialises writers; the lock is a no-op there.)
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F
from django.utils.translation import gettext as _

from duban.documents.models import DocumentCounter
from duban.items.intake import DOC_RE
from duban.org.models import Unit


def next_serial(office: Unit, kind: str, year: int) -> int:
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("next_serial must run inside the issuing transaction")
    DocumentCounter.objects.bulk_create(
        [DocumentCounter(office_unit=office, kind=kind, year=year, last=0)],
        ignore_conflicts=True,
    )
    counter = DocumentCounter.objects.select_for_update().get(
        office_unit=office, kind=kind, year=year
    )
    DocumentCounter.objects.filter(pk=counter.pk).update(last=F("last") + 1)
    return counter.last + 1


def format_number(prefix: str, year: int, serial: int) -> str:
    """济政督〔2026〕3号, checked against the pattern items accept as a 文号 (items/intake.py)."""
    number = f"{prefix}〔{year}〕{serial}号"
    if not DOC_RE.match(number):
        raise ValidationError(
            {"number_prefix": [_("发文字号代字「%(prefix)s」不能含空格。") % {"prefix": prefix}]}
        )
    return number
