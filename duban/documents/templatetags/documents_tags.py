"""The item page's way into its documents (items/item_detail.html)."""

from __future__ import annotations

from typing import Any

from django import template

from duban.org.access import can

register = template.Library()


@register.inclusion_tag("documents/_item_button.html", takes_context=True)
def item_documents_button(context: Any, item: Any) -> dict[str, Any]:
    user = context["request"].user
    return {"item": item, "shown": can(user, "document", "draft", item.owner_unit)}
