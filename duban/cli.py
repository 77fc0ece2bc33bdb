"""The `duban` command: Django's management commands under friendlier names.

`duban serve`, `duban verify-audit`, `duban import-org FILE` ... map to management commands with
dashes turned into underscores; anything else passes straight to Django (`duban migrate`).
"""

from __future__ import annotations

import os
import sys


def main(argv: list[str] | None = None) -> None:
    args = list(sys.argv if argv is None else argv)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "duban.settings")
    if len(args) > 1 and not args[1].startswith("-"):
        args[1] = args[1].replace("-", "_")
    args[0] = "duban"
    from django.core.management import execute_from_command_line

    execute_from_command_line(args)


if __name__ == "__main__":
    main()
