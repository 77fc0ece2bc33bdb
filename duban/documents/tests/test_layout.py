"""The issued DOCX read back with python-docx: GB/T 9704-2012 page, grid, fonts, red mark and
line, the 发文字号 and the "— PAGE —" footer (issue 6 item 5)."""

from __future__ import annotations

from typing import Any

from docx.oxml.ns import qn
from docx.shared import Length, Mm

from duban.documents import actions
from duban.documents.layout import full_width
from duban.documents.tests.base import TODAY, DocumentTestCase, read
from duban.items.models import Item

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


def mm(length: Any) -> int:
    return round(Length(length).mm)


def pt(length: Any) -> float:
    return float(Length(length).pt)


def ppr(paragraph: Any) -> Any:
    return paragraph._p.pPr


def east_asia(element: object) -> str:
    fonts = element.find(f".//{W}rFonts")  # type: ignore[attr-defined]
    return str(fonts.get(qn("w:eastAsia")))


class LayoutTest(DocumentTestCase):
    def setUp(self) -> None:
        super().setUp()
        self.document = self.issued()
        with self.document.docx.open("rb") as stored:
            self.docx = read(stored.read())
        self.paragraphs = [p for p in self.docx.paragraphs if p.text.strip()]

    def test_a4_page_and_the_156_by_225_type_area(self) -> None:
        section = self.docx.sections[0]
        page: Any = section
        self.assertEqual((mm(page.page_width), mm(page.page_height)), (210, 297))
        margins = (page.top_margin, page.bottom_margin, page.left_margin, page.right_margin)
        self.assertEqual([mm(m) for m in margins], [37, 35, 28, 26])
        width = page.page_width - page.left_margin - page.right_margin
        height = page.page_height - page.top_margin - page.bottom_margin
        self.assertEqual((mm(width), mm(height)), (156, 225))

    def test_22_lines_of_28_characters(self) -> None:
        grid = self.docx.sections[0]._sectPr.find(qn("w:docGrid"))
        self.assertEqual(grid.get(qn("w:type")), "linesAndChars")
        line_pitch_pt = int(grid.get(qn("w:linePitch"))) / 20
        self.assertEqual(int(Mm(225).pt / line_pitch_pt), 22)
        body_pt = pt(self.docx.styles["Normal"].font.size)
        char_pitch_pt = body_pt + int(grid.get(qn("w:charSpace"))) / 4096
        self.assertAlmostEqual(char_pitch_pt * 28, Mm(156).pt, delta=0.5)

    def test_body_is_16pt_fangsong_and_the_title_22pt_xiaobiaosong(self) -> None:
        normal = self.docx.styles["Normal"]
        self.assertEqual(pt(normal.font.size), 16)
        self.assertEqual(east_asia(normal.element), "仿宋_GB2312")
        title = next(p for p in self.paragraphs if p.text == self.document.title)
        self.assertEqual(pt(title.runs[0].font.size), 22)
        self.assertEqual(east_asia(title.runs[0]._r), "方正小标宋简体")
        body = next(p for p in self.paragraphs if p.text.startswith("根据"))
        self.assertEqual(
            (pt(body.runs[0].font.size), east_asia(body.runs[0]._r)), (16, "仿宋_GB2312")
        )
        heading = next(p for p in self.paragraphs if p.text == "一、事项内容")
        self.assertEqual(east_asia(heading.runs[0]._r), "黑体")

    def test_red_mark_red_line_and_the_number(self) -> None:
        mark, number = self.paragraphs[0], self.paragraphs[1]
        self.assertEqual(mark.text, "市政府督查室文件")
        self.assertEqual(str(mark.runs[0].font.color.rgb), "FF0000")
        self.assertEqual(number.text, "济政督〔2026〕1号")
        line = ppr(number).find(qn("w:pBdr")).find(qn("w:bottom"))
        self.assertEqual((line.get(qn("w:val")), line.get(qn("w:color"))), ("single", "FF0000"))
        self.assertEqual(self.document.number, "济政督〔2026〕1号")

    def test_record_lines_as_wide_as_the_type_area(self) -> None:
        printed = self.paragraphs[-1]
        self.assertTrue(printed.text.endswith(f"{TODAY.year}年{TODAY.month}月{TODAY.day}日印发"))
        self.assertIsNone(ppr(printed).find(qn("w:ind")))  # an indent would shorten the line
        line = ppr(printed).find(qn("w:pBdr")).find(qn("w:bottom"))
        self.assertEqual((line.get(qn("w:color")), line.get(qn("w:sz"))), ("000000", "8"))

    def test_page_numbers_dash_page_dash_odd_right_even_left(self) -> None:
        section = self.docx.sections[0]
        self.assertTrue(self.docx.settings.odd_and_even_pages_header_footer)
        for footer, side in ((section.footer, "right"), (section.even_page_footer, "left")):
            paragraph = footer.paragraphs[0]
            instr = "".join(t.text for t in paragraph._p.iter(qn("w:instrText")))
            self.assertEqual(instr.strip(), "PAGE")
            self.assertEqual(paragraph.text, "— 1 —")  # the field's last result between dashes
            self.assertEqual(ppr(paragraph).find(qn("w:jc")).get(qn("w:val")), side)
            self.assertEqual(pt(paragraph.runs[0].font.size), 14)
            self.assertEqual(east_asia(paragraph.runs[0]._r), "宋体")

    def test_the_item_facts_units_deadline_and_how_it_was_counted(self) -> None:
        text = "\n".join(p.text for p in self.paragraphs)
        item = self.document.items.get()
        self.assertIn(full_width("市发改委、市住建局:"), text)  # 主送
        self.assertIn(full_width("主办单位:市发改委;协办单位:市住建局。"), text)
        self.assertIn("请于2099年6月30日前办结。", text)
        self.assertIn(full_width(item.deadline_explanation), text)
        self.assertIn("特此通知。", text)
        self.assertIn(f"{TODAY.year}年{TODAY.month}月{TODAY.day}日", text)


class FontFallbackTest(DocumentTestCase):
    def test_stand_ins_named_in_the_font_table_and_used_when_asked(self) -> None:
        document = self.issued()
        with document.docx.open("rb") as stored:
            data = stored.read()
        self.assertIn(b'w:altName w:val="Noto Serif CJK SC"', _font_table(data))
        actions.update_template(
            self.supervision, "notice", actor=self.office, use_fallback_fonts=True
        )
        again = actions.docx_bytes(document, fallback=True)
        title = next(p for p in read(again).paragraphs if p.text == document.title)
        self.assertEqual(east_asia(title.runs[0]._r), "Noto Serif CJK SC")
        self.assertEqual(east_asia(read(again).styles["Normal"].element), "Noto Serif CJK SC")


def _font_table(data: bytes) -> bytes:
    import io
    import zipfile

    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        return archive.read("word/fontTable.xml")


class ReminderColourTest(DocumentTestCase):
    def colour_and_title(self, item: Item) -> tuple[str, str, str]:
        document = actions.draft_for_item(item, "reminder", actor=self.office, today=TODAY)
        paragraphs = [p for p in read(actions.docx_bytes(document)).paragraphs if p.text.strip()]
        mark, number = paragraphs[0], paragraphs[1]
        line = ppr(number).find(qn("w:pBdr")).find(qn("w:bottom")).get(qn("w:color"))
        return str(mark.runs[0].font.color.rgb), line, document.title

    def test_overdue_is_a_red_dubandan_and_on_track_a_green_cuibandan(self) -> None:
        late = self.assigned_until(TODAY.replace(month=2, day=2))
        self.assertEqual(self.colour_and_title(late), ("FF0000", "FF0000", "督办单"))
        far = self.assigned_until(TODAY.replace(year=2099))
        self.assertEqual(self.colour_and_title(far), ("00B050", "00B050", "催办单"))
        # Due tomorrow: within the default 3 working days of the light rule (items/lights.py).
        near = self.assigned_until(TODAY.replace(day=3))
        self.assertEqual(self.colour_and_title(near), ("FFC000", "FFC000", "催办单"))


class LibreOfficeLayoutTest(DocumentTestCase):
    def test_the_pdf_variant_keeps_28_characters_without_the_character_grid(self) -> None:
        # LibreOffice gives a 16 pt glyph two cells of a 15.79 pt grid; condensed text instead.
        document = self.issued()
        variant = read(actions.docx_bytes(document, for_pdf=True))
        grid = variant.sections[0]._sectPr.find(qn("w:docGrid"))
        self.assertEqual((grid.get(qn("w:type")), grid.get(qn("w:charSpace"))), ("lines", None))
        rpr = variant.styles["Normal"].element.rPr
        condensed = int(rpr.find(qn("w:spacing")).get(qn("w:val"))) / 20  # points
        self.assertLessEqual((16 + condensed) * 28, Mm(156).pt)
        texts = [p.text for p in variant.paragraphs]
        self.assertIn(document.number, texts)

    def test_chinese_text_takes_full_width_punctuation(self) -> None:
        document = self.notice()
        actions.edit_draft(
            document, actor=self.office, version=document.version, body="一,二:三(四)五;ok, fine"
        )
        texts = [p.text for p in read(actions.docx_bytes(document)).paragraphs]
        self.assertIn("一\uff0c二\uff1a三\uff08四\uff09五\uff1bok, fine", texts)
