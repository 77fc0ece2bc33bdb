"""The streaming XLSX writer: what goes in comes back out of openpyxl, cell by cell."""

from __future__ import annotations

import datetime as dt
import io
import zipfile

import pytest
from openpyxl import load_workbook

from duban.ledgers.xlsx_writer import SheetWriter


def naive(day: dt.date) -> dt.datetime:
    """How openpyxl reads a date cell back: a naive datetime at midnight."""
    return dt.datetime.combine(day, dt.time())


def written(rows: list[list[object]], **options: object) -> bytes:
    out = io.BytesIO()
    with SheetWriter(out, sheet_name="督查事项台账", widths=[8, 40, 16], **options) as sheet:  # type: ignore[arg-type]
        sheet.append(["标题"], bold=True)
        for row in rows:
            sheet.append(row)
    return out.getvalue()


def test_values_round_trip_through_openpyxl() -> None:
    data = written(
        [
            [1, "A & B <c> \"d\" 'e'", dt.date(2026, 5, 31)],
            [2, "  前后有空格 ", None],
            [3, "=SUM(A1:A2)", ""],
            [4, "响铃\x07与\x00控制字符\r\n换行", 2.5],
            [True, "x" * 40000, dt.date(1999, 12, 31)],
        ],
        frozen_rows=1,
    )
    book = load_workbook(io.BytesIO(data))
    sheet = book.active
    assert sheet is not None
    assert sheet.title == "督查事项台账"
    assert sheet["A1"].value == "标题" and sheet["A1"].font.b
    assert sheet.freeze_panes == "A2"
    assert sheet.column_dimensions["B"].width == 40
    rows = [[cell.value for cell in row] for row in sheet.iter_rows(min_row=2)]
    assert rows[0] == [
        1,
        "A & B <c> \"d\" 'e'",
        naive(dt.date(2026, 5, 31)),
    ]
    assert sheet["C2"].number_format == "yyyy-mm-dd"
    assert rows[1][:2] == [2, "  前后有空格 "]
    assert rows[2][1] == "=SUM(A1:A2)" and sheet["B4"].data_type == "s"
    assert rows[3][1:] == ["响铃与控制字符\n换行", 2.5]
    assert rows[4][0] is True and len(str(rows[4][1])) == 32767
    assert rows[4][2] == naive(dt.date(1999, 12, 31))


def test_package_parts_and_no_shared_strings() -> None:
    names = zipfile.ZipFile(io.BytesIO(written([[1, "a", None]]))).namelist()
    assert "xl/sharedStrings.xml" not in names
    assert set(names) >= {"[Content_Types].xml", "xl/workbook.xml", "xl/worksheets/sheet1.xml"}


def test_unknown_value_type_is_refused() -> None:
    with pytest.raises(TypeError):
        written([[dt.time(8, 30)]])
