"""The English catalogue: complete, placeholder-safe, compiled, and actually used by the pages.

Whether the catalogue covers every string the source produces today is left to `make messages`
(makemessages + msgfmt need GNU gettext, which a fresh machine may lack); these tests only fail when
the committed catalogue itself is broken or its .mo is stale.
"""

from __future__ import annotations

import gettext
import re
from dataclasses import dataclass, field
from pathlib import Path

from django.conf import settings
from django.test import SimpleTestCase
from django.utils import translation

from duban.items.models import ItemState
from duban.items.tests.base import ItemTestCase

LC = Path(settings.BASE_DIR) / "locale" / "en" / "LC_MESSAGES"
# %(name)s, %(n)d, %s, %d and {name}; "%%" is a literal percent sign, not a placeholder.
PLACEHOLDER = re.compile(r"%\(\w+\)[sdfr]|%[sdfr]|\{\w*\}")
ESCAPES = {"n": "\n", "t": "\t", '"': '"', "\\": "\\"}


@dataclass
class Entry:
    msgid: str = ""
    plural: str | None = None
    strs: dict[int, str] = field(default_factory=dict)
    flags: set[str] = field(default_factory=set)
    line: int = 0


def _unquote(text: str) -> str:
    return re.sub(r"\\(.)", lambda m: ESCAPES[m.group(1)], text.strip()[1:-1])


def parse_po(path: Path) -> list[Entry]:
    """A small reader for the subset of PO that makemessages writes (no msgctxt, no obsolete)."""
    entries: list[Entry] = []
    entry, key = Entry(), ""
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if not line.strip():
            if key:
                entries.append(entry)
            entry, key = Entry(), ""
        elif line.startswith("#,"):
            entry.flags |= {flag.strip() for flag in line[2:].split(",")}
        elif line.startswith("#"):
            continue
        elif line.startswith('"'):
            _append(entry, key, _unquote(line))
        else:
            key, _sep, rest = line.partition(" ")
            entry.line = entry.line or number
            _append(entry, key, _unquote(rest), start=True)
    if key:
        entries.append(entry)
    return entries


def _append(entry: Entry, key: str, text: str, start: bool = False) -> None:
    if key == "msgid":
        entry.msgid = text if start else entry.msgid + text
    elif key == "msgid_plural":
        entry.plural = text if start else (entry.plural or "") + text
    else:
        index = int(key[7:-1]) if key.startswith("msgstr[") else 0
        entry.strs[index] = text if start else entry.strs[index] + text


def placeholders(text: str) -> list[str]:
    return sorted(PLACEHOLDER.findall(text.replace("%%", "")))


class CatalogueTests(SimpleTestCase):
    entries: list[Entry]

    @classmethod
    def setUpClass(cls) -> None:
        super().setUpClass()
        cls.entries = [e for e in parse_po(LC / "django.po") if e.msgid]

    def test_the_catalogue_is_not_a_stub(self) -> None:
        self.assertGreater(len(self.entries), 900)

    def test_every_entry_is_translated_and_checked(self) -> None:
        for e in self.entries:
            with self.subTest(line=e.line, msgid=e.msgid):
                self.assertNotIn("fuzzy", e.flags)
                self.assertEqual(sorted(e.strs), [0, 1] if e.plural is not None else [0])
                self.assertTrue(all(s.strip() for s in e.strs.values()))

    def test_placeholders_survive_translation(self) -> None:
        for e in self.entries:
            with self.subTest(line=e.line, msgid=e.msgid):
                if e.plural is None:
                    self.assertEqual(placeholders(e.strs[0]), placeholders(e.msgid))
                else:
                    self.assertEqual(placeholders(e.strs[0]), placeholders(e.msgid))
                    self.assertEqual(placeholders(e.strs[1]), placeholders(e.plural))

    def test_the_compiled_catalogue_matches_the_po(self) -> None:
        with (LC / "django.mo").open("rb") as mo:
            compiled = gettext.GNUTranslations(mo)
        expected: dict[object, str] = {}
        for e in self.entries:
            if e.plural is None:
                expected[e.msgid] = e.strs[0]
            else:
                expected.update({(e.msgid, i): s for i, s in e.strs.items()})
        catalog = {k: v for k, v in compiled._catalog.items() if k != ""}  # type: ignore[attr-defined]
        self.assertEqual(catalog, expected, "django.mo is stale: run `make messages`")


class EnglishPagesTests(ItemTestCase):
    def english_page(self, url: str) -> str:
        client = self.client_for(self.refreshed(self.office))
        client.post("/i18n/setlang/", {"language": "en", "next": "/"})
        response = client.get(url)
        self.assertEqual(response.status_code, 200)
        self.assertEqual(response["Content-Language"], "en")
        return response.content.decode()

    def assert_english(self, body: str, english: list[str], chinese: list[str]) -> None:
        for text in english:
            self.assertIn(text, body)
        for text in chinese:
            self.assertNotIn(text, body)

    def test_workbench_chrome_is_english(self) -> None:
        self.assigned()
        body = self.english_page("/")
        self.assert_english(
            body,
            ["Workbench", "Ledger", "Audit log", "My to-dos", "My units and roles", "Sign out"],
            ["工作台", "台账", "审计日志", "我的待办", "我的单位与角色", "退出"],
        )
        self.assertIn("推进老旧小区改造", body)  # user data stays as typed

    def test_ledger_headers_and_filters_are_english(self) -> None:
        self.assigned()
        body = self.english_page("/items/")
        self.assert_english(
            body,
            ["Supervision item ledger", "Item title", "Lead unit", "Co-units", "All statuses"],
            ["督查事项台账", "事项名称", "主办单位", "协办单位", "全部状态", "已交办"],
        )
        self.assertIn("In progress", body)  # a state in the status filter
        self.assertIn("NPC deputy&#x27;s suggestion", body)

    def test_item_page_is_english(self) -> None:
        item = self.assigned()
        body = self.english_page(f"/items/{item.pk}/")
        self.assert_english(
            body,
            [
                "Handling units",
                "Not signed for",
                "Timeline",
                "Item assigned",
                "Lead unit: 市发改委",
            ],
            ["承办单位", "未签收", "办理过程", "事项交办", "主办单位"],
        )

    def test_the_language_ends_with_the_request(self) -> None:
        self.english_page("/")
        # Code run after an English request on the same thread is back in Chinese.
        self.assertEqual(translation.get_language(), settings.LANGUAGE_CODE)
        self.assertEqual(str(ItemState.DRAFT.label), "拟办")
