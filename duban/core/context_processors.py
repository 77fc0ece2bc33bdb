from __future__ import annotations

from typing import Any

from django.http import HttpRequest

from duban import __version__


def shell(request: HttpRequest) -> dict[str, Any]:
    return {"duban_version": __version__}
