"""The item page's 来源信息: the facts its source recorded, under that source's names."""

from __future__ import annotations

from django import template

from duban.items import intake
from duban.items.models import Item

register = template.Library()


@register.simple_tag
def source_rows(item: Item) -> list[tuple[str, str]]:
    return intake.rows(item)
