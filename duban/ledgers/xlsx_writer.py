"""A streaming XLSX writer for one sheet of text, whole numbers and dates: rows go out as they come.

openpyxl's write-only mode keeps memory flat too, but builds a Cell and an lxml element per cell:
measured at about 10 s per 20,000 rows of 12 columns on the project's machine, five times the
15-second budget for 100,000 rows (issue 6 item 6). This writes the sheet's XML as text into a
deflated zip entry (about 0.5 s per 20,000 rows), with the few package parts that Excel, WPS and
LibreOffice require (ECMA-376 Part 1: content types, relationships, workbook, styles, sheet).
Strings are inline (`t="inlineStr"`), so no shared-string table grows with the rows, and nothing is
ever a formula: text starting with = stays text. openpyxl reads the files back in the tests.
"""

from __future__ import annotations

import datetime as dt
import re
import zipfile
from collections.abc import Sequence
from types import TracebackType
from typing import IO, Any

from openpyxl.utils import get_column_letter

MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
RELS = "http://schemas.openxmlformats.org/package/2006/relationships"
DOC_RELS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
HEAD = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
CONTENT_TYPES = (
    HEAD + '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    '<Default Extension="rels" '
    'ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
    '<Default Extension="xml" ContentType="application/xml"/>'
    '<Override PartName="/xl/workbook.xml" ContentType="application/'
    'vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
    '<Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/'
    'vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>'
    '<Override PartName="/xl/styles.xml" ContentType="application/'
    'vnd.openxmlformats-officedocument.spreadsheetml.styles+xml"/>'
    "</Types>"
)
PACKAGE_RELS = (
    HEAD + f'<Relationships xmlns="{RELS}">'
    f'<Relationship Id="rId1" Type="{DOC_RELS}/officeDocument" Target="xl/workbook.xml"/>'
    "</Relationships>"
)
WORKBOOK_RELS = (
    HEAD + f'<Relationships xmlns="{RELS}">'
    f'<Relationship Id="rId1" Type="{DOC_RELS}/worksheet" Target="worksheets/sheet1.xml"/>'
    f'<Relationship Id="rId2" Type="{DOC_RELS}/styles" Target="styles.xml"/>'
    "</Relationships>"
)
# Cell styles (the `s` index): 0 plain, 1 date as 2026-05-31, 2 bold. 宋体 is what Chinese
# Excel and WPS show by default; a reader without it substitutes its own CJK font.
DATE_STYLE, BOLD_STYLE = 1, 2
STYLES = (
    HEAD + f'<styleSheet xmlns="{MAIN}">'
    '<numFmts count="1"><numFmt numFmtId="164" formatCode="yyyy-mm-dd"/></numFmts>'
    '<fonts count="2"><font><sz val="11"/><name val="宋体"/><charset val="134"/></font>'
    '<font><b/><sz val="11"/><name val="宋体"/><charset val="134"/></font></fonts>'
    '<fills count="2"><fill><patternFill patternType="none"/></fill>'
    '<fill><patternFill patternType="gray125"/></fill></fills>'
    '<borders count="1"><border><left/><right/><top/><bottom/><diagonal/></border></borders>'
    '<cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs>'
    '<cellXfs count="3"><xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/>'
    '<xf numFmtId="164" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/>'
    '<xf numFmtId="0" fontId="1" fillId="0" borderId="0" xfId="0" applyFont="1"/></cellXfs>'
    '<cellStyles count="1"><cellStyle name="Normal" xfId="0" builtinId="0"/></cellStyles>'
    "</styleSheet>"
)
# Characters XML 1.0 cannot carry at all (a pasted title may hold them): dropped.
ILLEGAL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")
CELL_MAX = 32767  # Excel refuses longer cell text
EXCEL_EPOCH = dt.date(1899, 12, 30)
# Rows gathered before one write into the zip entry.
FLUSH_ROWS = 500
# Fixed entry time: the same rows give the same bytes.
ZIP_TIME = (2000, 1, 1, 0, 0, 0)


def _escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def _text_cell(ref: str, value: str, style: str) -> str:
    text = ILLEGAL.sub("", value)[:CELL_MAX]
    if not text:
        return ""
    space = ' xml:space="preserve"' if text[0].isspace() or text[-1].isspace() else ""
    return f'<c r="{ref}"{style} t="inlineStr"><is><t{space}>{_escape(text)}</t></is></c>'


def cell(ref: str, value: Any, bold: bool = False) -> str:
    """One <c> element ("" for an empty value)."""
    style = f' s="{BOLD_STYLE}"' if bold else ""
    if value is None:
        return ""
    if isinstance(value, str):
        return _text_cell(ref, value, style)
    if isinstance(value, bool):
        return f'<c r="{ref}"{style} t="b"><v>{int(value)}</v></c>'
    if isinstance(value, int | float):
        return f'<c r="{ref}"{style}><v>{value!r}</v></c>'
    if isinstance(value, dt.date) and not isinstance(value, dt.datetime):
        return f'<c r="{ref}" s="{DATE_STYLE}"><v>{(value - EXCEL_EPOCH).days}</v></c>'
    raise TypeError(f"no XLSX cell for {type(value).__name__}")


class SheetWriter:
    """Write a one-sheet workbook to `out`, row by row; use as a context manager."""

    def __init__(
        self,
        out: IO[bytes],
        *,
        sheet_name: str,
        widths: Sequence[float],
        frozen_rows: int = 0,
    ) -> None:
        self.zip = zipfile.ZipFile(out, "w", compression=zipfile.ZIP_DEFLATED)
        self.letters = [get_column_letter(i) for i in range(1, len(widths) + 1)]
        self.row = 0
        self.pending: list[str] = []
        for name, text in (
            ("[Content_Types].xml", CONTENT_TYPES),
            ("_rels/.rels", PACKAGE_RELS),
            ("xl/workbook.xml", _workbook(sheet_name)),
            ("xl/_rels/workbook.xml.rels", WORKBOOK_RELS),
            ("xl/styles.xml", STYLES),
        ):
            self.zip.writestr(_entry(name), text)
        self.sheet = self.zip.open(_entry("xl/worksheets/sheet1.xml"), "w", force_zip64=True)
        self.sheet.write(_sheet_head(widths, frozen_rows).encode())

    def append(self, values: Sequence[Any], *, bold: bool = False) -> None:
        self.row += 1
        n = self.row
        cells = "".join(
            cell(f"{letter}{n}", value, bold)
            for letter, value in zip(self.letters, values, strict=False)
        )
        self.pending.append(f'<row r="{n}">{cells}</row>')
        if len(self.pending) >= FLUSH_ROWS:
            self._flush()

    def _flush(self) -> None:
        self.sheet.write("".join(self.pending).encode())
        self.pending.clear()

    def close(self) -> None:
        self._flush()
        self.sheet.write(b"</sheetData></worksheet>")
        self.sheet.close()
        self.zip.close()

    def __enter__(self) -> SheetWriter:
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        trace: TracebackType | None,
    ) -> None:
        if kind is None:
            self.close()
        else:  # a half-written file is discarded by the caller; just release the zip
            self.sheet.close()
            self.zip.close()


def _entry(name: str) -> zipfile.ZipInfo:
    info = zipfile.ZipInfo(name, date_time=ZIP_TIME)
    info.compress_type = zipfile.ZIP_DEFLATED
    return info


def _workbook(sheet_name: str) -> str:
    name = _escape(sheet_name).replace('"', "&quot;")
    return (
        HEAD + f'<workbook xmlns="{MAIN}" xmlns:r="{DOC_RELS}">'
        "<bookViews><workbookView/></bookViews>"
        f'<sheets><sheet name="{name}" sheetId="1" r:id="rId1"/></sheets></workbook>'
    )


def _sheet_head(widths: Sequence[float], frozen_rows: int) -> str:
    pane = ""
    if frozen_rows:
        pane = (
            f'<pane ySplit="{frozen_rows}" topLeftCell="A{frozen_rows + 1}" '
            'activePane="bottomLeft" state="frozen"/>'
        )
    cols = "".join(
        f'<col min="{i}" max="{i}" width="{width}" customWidth="1"/>'
        for i, width in enumerate(widths, start=1)
    )
    return (
        HEAD + f'<worksheet xmlns="{MAIN}">'
        f'<sheetViews><sheetView workbookViewId="0">{pane}</sheetView></sheetViews>'
        f'<sheetFormatPr defaultRowHeight="15"/><cols>{cols}</cols><sheetData>'
    )
