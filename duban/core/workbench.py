"""工作台 panels: each app registers what it adds to a person's workbench."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.http import HttpRequest


@dataclass(frozen=True)
class Panel:
    template: str
    context: dict[str, Any]
    order: int = 100


PanelProvider = Callable[[HttpRequest], Panel | None]
_providers: list[PanelProvider] = []


def register(provider: PanelProvider) -> PanelProvider:
    _providers.append(provider)
    return provider


def panels_for(request: HttpRequest) -> list[Panel]:
    found = [panel for provider in _providers if (panel := provider(request)) is not None]
    return sorted(found, key=lambda panel: panel.order)
