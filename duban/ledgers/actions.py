"""The only code that creates, renames, re-filters or deletes a 专项台账; each is one audit event.

A person may make a view for a unit they belong to (it is then shared with everyone of that unit);
its creator and that unit's office heads may change or delete it. Names are unique per unit.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from duban.audit.log import record
from duban.audit.types import EventType
from duban.ledgers.columns import COLUMNS
from duban.ledgers.filters import FILTER_KEYS
from duban.ledgers.forms import SORTS
from duban.ledgers.models import SavedView
from duban.org.models import Membership, Unit
from duban.org.validation import check_required, fail


def own_units(user: Any) -> list[Unit]:
    """The units whose views `user` shares: those of their active memberships."""
    ids = Membership.objects.active().filter(user_id=user.pk).values("unit_id")
    return list(Unit.objects.filter(pk__in=ids).order_by("path"))


def _check_name(name: str) -> str:
    return check_required(name or "", "name", _("名称"), 50)


def _clean_params(params: Mapping[str, Any]) -> dict[str, str]:
    return {
        key: str(params[key]).strip() for key in FILTER_KEYS if str(params.get(key) or "").strip()
    }


def _clean_columns(columns: Iterable[str] | None) -> list[str]:
    columns = list(columns or [])
    unknown = [c for c in columns if c not in COLUMNS or not COLUMNS[c].optional]
    if unknown:
        raise fail("cols", _("显示列中没有「%(value)s」。") % {"value": unknown[0]})
    return columns


def _clean_sort(sort: str | None) -> str:
    if sort and sort not in SORTS:
        raise fail("sort", _("请从列表中选择排序。"))
    return sort or ""


def _require_edit(view: SavedView, actor: Any) -> None:
    if not view.editable_by(actor):
        raise PermissionDenied(_("只有专项台账的创建人和本单位督查室负责人可以修改或删除它。"))


def _save(view: SavedView, *fields: str) -> None:
    try:
        with transaction.atomic():
            view.save(update_fields=[*fields, "updated_at"] if view.pk else None)
    except IntegrityError:
        raise fail(
            "name", _("本单位已有名为「%(name)s」的专项台账。") % {"name": view.name}
        ) from None


@transaction.atomic
def create_view(
    *,
    actor: Any,
    owner_unit: Unit,
    name: str,
    params: Mapping[str, Any],
    columns: Iterable[str] | None = None,
    sort: str | None = None,
) -> SavedView:
    if owner_unit.pk not in {unit.pk for unit in own_units(actor)}:
        raise PermissionDenied(_("只能为本人所在单位建立专项台账。"))
    view = SavedView(
        name=_check_name(name),
        owner_unit=owner_unit,
        created_by=actor,
        params=_clean_params(params),
        columns=_clean_columns(columns),
        sort=_clean_sort(sort),
    )
    _save(view)
    details = {"name": view.name, "params": view.params, "columns": view.columns, "sort": sort}
    record(EventType.SAVED_VIEW_CREATED, actor=actor, unit=owner_unit, target=view, details=details)
    return view


@transaction.atomic
def rename_view(view: SavedView, *, actor: Any, name: str) -> SavedView:
    _require_edit(view, actor)
    before, view.name = view.name, _check_name(name)
    if before == view.name:
        return view
    _save(view, "name")
    record(
        EventType.SAVED_VIEW_RENAMED,
        actor=actor,
        unit=view.owner_unit,
        target=view,
        details={"name": [before, view.name]},
    )
    return view


@transaction.atomic
def update_view(
    view: SavedView,
    *,
    actor: Any,
    params: Mapping[str, Any],
    columns: Iterable[str] | None = None,
    sort: str | None = None,
) -> SavedView:
    """Replace the saved filters, columns and sort with the ones now on the page."""
    _require_edit(view, actor)
    after = {
        "params": _clean_params(params),
        "columns": _clean_columns(columns),
        "sort": _clean_sort(sort),
    }
    changed = {k: [getattr(view, k), v] for k, v in after.items() if getattr(view, k) != v}
    if not changed:
        return view
    for field, (_before, value) in changed.items():
        setattr(view, field, value)
    _save(view, *changed)
    record(
        EventType.SAVED_VIEW_UPDATED,
        actor=actor,
        unit=view.owner_unit,
        target=view,
        details=changed,
    )
    return view


@transaction.atomic
def delete_view(view: SavedView, *, actor: Any) -> None:
    _require_edit(view, actor)
    details = {"name": view.name, "params": view.params, "columns": view.columns}
    record(
        EventType.SAVED_VIEW_DELETED,
        actor=actor,
        unit=view.owner_unit,
        target=view,
        details=details,
    )
    view.delete()
