"""Event details in words: 「单位名称:旧 → 新」 rather than raw JSON."""

from __future__ import annotations

from typing import Any

from django.apps import apps
from django.core.exceptions import FieldDoesNotExist
from django.utils.translation import gettext as _


def _label(model_label: str, field: str) -> str:
    """The field's Chinese name on the target model, else on a sibling model of its app.

    Member-unit events target the group but carry the member's fields, hence the second look.
    """
    try:
        target = apps.get_model(model_label)
    except (LookupError, ValueError):
        return field
    models = [target, *target._meta.app_config.get_models()]
    for model in models:
        try:
            found = model._meta.get_field(field)
        except FieldDoesNotExist:
            continue
        # A reverse relation (e.g. an item's `units`) has no verbose_name of its own.
        if hasattr(found, "verbose_name"):
            return str(found.verbose_name)
    return field


def _value(value: Any) -> str:
    if value is None or value == "":
        return "—"
    if value is True:
        return str(_("是"))
    if value is False:
        return str(_("否"))
    return str(value)


def describe(model_label: str, details: dict[str, Any]) -> list[str]:
    lines = []
    for key, value in details.items():
        label = _label(model_label, key) if model_label else key
        if isinstance(value, list) and len(value) == 2:
            lines.append(f"{label}:{_value(value[0])} → {_value(value[1])}")
        else:
            lines.append(f"{label}:{_value(value)}")
    return lines
