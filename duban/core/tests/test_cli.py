"""The `duban` command on a fresh SQLite data folder, as an operator would run it."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from duban.core.env import EnvError, env_bool, env_int, env_list, persistent_secret

DUBAN = shutil.which("duban") or str(Path(sys.executable).with_name("duban"))


def run(data_dir: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
    env["DUBAN_DATA_DIR"] = str(data_dir)
    return subprocess.run(  # noqa: S603  (our own console script)
        [DUBAN, *args], env=env, capture_output=True, text=True, timeout=300, check=False
    )


@pytest.fixture(scope="module")
def demo_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    data = tmp_path_factory.mktemp("data")
    assert run(data, "migrate", "-v", "0").returncode == 0
    result = run(data, "load-demo")
    assert result.returncode == 0, result.stderr
    assert "fagai_lianluo" in result.stdout
    return data


def shell(data: Path, code: str) -> str:
    result = run(data, "shell", "--no-imports", "-c", code)
    assert result.returncode == 0, result.stderr
    return result.stdout.strip()


def test_sqlite_runs_in_wal_mode_and_keeps_its_secret(demo_dir: Path) -> None:
    code = (
        "from django.db import connection\n"
        "c = connection.cursor(); c.execute('PRAGMA journal_mode'); print(c.fetchone()[0])"
    )
    assert shell(demo_dir, code) == "wal"
    secret = (demo_dir / "secret_key").read_text()
    assert len(secret) >= 50
    assert shell(demo_dir, "from django.conf import settings; print(settings.SECRET_KEY)") == secret


def test_demo_city_has_about_forty_units_a_group_and_every_role(demo_dir: Path) -> None:
    code = (
        "from duban.org.models import Unit, LeadingGroup, Membership, Role\n"
        "g = LeadingGroup.objects.get(name='质量强市工作领导小组')\n"
        "roles = set(Membership.objects.values_list('role', flat=True))\n"
        "print(Unit.objects.count(), g.members.count(), sorted(roles) == sorted(Role.values),"
        " Unit.objects.filter(kind='township').count(),"
        " Unit.objects.filter(name__contains='督查室').count())"
    )
    units, members, all_roles, towns, offices = shell(demo_dir, code).split()
    assert 35 <= int(units) <= 45
    assert int(members) >= 10
    assert all_roles == "True"
    assert int(towns) == 9
    assert int(offices) == 2


def test_loading_the_demo_twice_is_refused(demo_dir: Path) -> None:
    result = run(demo_dir, "load-demo")
    assert result.returncode != 0
    assert "已有单位" in result.stderr


def test_verify_audit_passes_then_reports_the_first_broken_link(demo_dir: Path) -> None:
    ok = run(demo_dir, "verify-audit")
    assert ok.returncode == 0, ok.stderr
    assert "审计日志完整" in ok.stdout
    shell(
        demo_dir,
        "from django.db import connection\n"
        "connection.cursor().execute(\"UPDATE audit_event SET details='{}' WHERE seq=7\")",
    )
    broken = run(demo_dir, "verify-audit")
    assert broken.returncode != 0
    assert "第 7 号事件" in broken.stderr


def test_env_helpers_fail_loudly(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("X_BOOL", "maybe")
    with pytest.raises(EnvError, match="X_BOOL"):
        env_bool("X_BOOL")
    monkeypatch.setenv("X_INT", "ten")
    with pytest.raises(EnvError, match="X_INT"):
        env_int("X_INT", 1)
    monkeypatch.setenv("X_LIST", "a, b,,c")
    assert env_list("X_LIST", []) == ["a", "b", "c"]
    monkeypatch.delenv("X_SECRET", raising=False)
    first = persistent_secret("X_SECRET", tmp_path / "key")
    assert persistent_secret("X_SECRET", tmp_path / "key") == first
    assert (tmp_path / "key").stat().st_mode & 0o077 == 0
