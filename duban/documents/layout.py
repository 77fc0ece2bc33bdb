"""GB/T 9704-2012 《党政机关公文格式》 with python-docx: one `Sheet` in, the DOCX bytes out.

The numbers below are the standard's (section in brackets), not a preference:
A4 [5.2.1]; 版心 156 × 225 mm with 天头 37 mm and 订口 28 mm [5.2.2], so the margins are top 37,
bottom 297 − 37 − 225 = 35, left 28, right 210 − 28 − 156 = 26; 22 lines of 28 characters [5.2.4];
body 三号仿宋 [5.2.3]; title 二号小标宋 [7.3.1]; red 发文机关标志 [7.2.2] and a red 分隔线 4 mm
below the 发文字号 [7.2.3, 7.2.6]; page numbers 4号半角宋体 "— 1 —", 7 mm below the 版心, odd
pages right and even pages left with one character's space [7.5].
"""

from __future__ import annotations

import io
import re
from dataclasses import dataclass, field, replace
from typing import Any

from docx import Document as new_docx
from docx.document import Document as DocxDocument
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_TAB_ALIGNMENT
from docx.opc.oxml import serialize_part_xml
from docx.oxml import OxmlElement, parse_xml
from docx.oxml.ns import qn
from docx.shared import Mm, Pt, RGBColor
from docx.text.paragraph import Paragraph

# 字号 in points.
SIZE_XIAOCHU, SIZE_2, SIZE_3, SIZE_4 = 36, 22, 16, 14
TEXT_WIDTH_PT = 156 / 25.4 * 72  # 版心 width, 442.2 pt
# docGrid in twentieths of a point: 225 mm / 22 lines = 579.8 → 579 (Word rounds down, so the
# 22nd line still fits); the character pitch 156 mm / 28 = 15.79 pt is the Normal style's 16 pt
# plus charSpace/4096 pt, hence −842.
LINE_PITCH = 579
CHAR_SPACE = -842
# LibreOffice gives a glyph wider than the character pitch two cells of the grid (16 pt > 15.79 pt:
# 14 characters a line), where Word and WPS squeeze it into one. For LibreOffice (the PDF) the
# grid keeps the lines only and the text is condensed by 0.25 pt: 15.75 × 28 = 441 pt ≤ 442.2.
CONDENSE_TWENTIETHS = -5
RED = "FF0000"
BLACK = "000000"
# GB/T 15834: Chinese text takes full-width punctuation. Offices (and this code base) often type
# the ASCII marks; next to a Chinese character they are set full-width.
FULL_WIDTH = {
    ",": "\uff0c",
    ":": "\uff1a",
    ";": "\uff1b",
    "(": "\uff08",
    ")": "\uff09",
    "!": "\uff01",
    "?": "\uff1f",
}
CJK = "\u3000-\u303f\u3400-\u9fff\uff00-\uffef"
ASCII_NEAR_CJK = re.compile(rf"(?<=[{CJK}])[,:;()!?]|[,:;()!?](?=[{CJK}])")
HEADING_RE = re.compile(r"^[一二三四五六七八九十]+、")
SUBHEADING_RE = re.compile(r"^[((][一二三四五六七八九十]+[))]")


@dataclass(frozen=True)
class Fonts:
    title: str = "方正小标宋简体"
    body: str = "仿宋_GB2312"
    heading: str = "黑体"
    kai: str = "楷体_GB2312"
    page: str = "宋体"
    fallbacks: dict[str, str] = field(default_factory=dict)
    use_fallback: bool = False

    def name(self, official: str) -> str:
        """The font a run names: the official one, or its stand-in when the office asks so."""
        return self.fallbacks.get(official, official) if self.use_fallback else official


@dataclass(frozen=True)
class Sheet:
    mark: str
    number: str
    title: str
    body: str
    signature: str
    date: str
    printer: str
    recipients: str = ""
    closing: str = ""
    copy_to: str = ""
    colour: str = RED
    mark_top_mm: int = 35
    fonts: Fonts = field(default_factory=Fonts)
    # False: laid out for LibreOffice (see CONDENSE_TWENTIETHS).
    char_grid: bool = True


def full_width(text: str) -> str:
    return ASCII_NEAR_CJK.sub(lambda m: FULL_WIDTH[m.group(0)], text)


def render(sheet: Sheet) -> bytes:
    sheet = _full_width(sheet)
    doc = new_docx()
    _page_setup(doc, sheet.char_grid)
    _base_style(doc, sheet.fonts, sheet.char_grid)
    _font_table(doc, sheet.fonts)
    _head(doc, sheet)
    _main(doc, sheet)
    _record(doc, sheet)
    _page_numbers(doc, sheet.fonts)
    doc.core_properties.title = sheet.title
    doc.core_properties.author = sheet.printer
    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()


def _full_width(sheet: Sheet) -> Sheet:
    texts = ("mark", "title", "body", "signature", "recipients", "closing", "copy_to")
    changes: dict[str, Any] = {name: full_width(getattr(sheet, name)) for name in texts}
    return replace(sheet, **changes)


# Page ---------------------------------------------------------------------------------------


def _page_setup(doc: DocxDocument, char_grid: bool) -> None:
    section = doc.sections[0]
    section.page_width, section.page_height = Mm(210), Mm(297)
    section.top_margin, section.bottom_margin = Mm(37), Mm(35)
    section.left_margin, section.right_margin = Mm(28), Mm(26)
    section.header_distance = Mm(15)
    # The footer's one line (4号, about 5 mm) ends 23 mm above the page edge, so its top is
    # 35 − 7 = 28 mm up: 7 mm below the 版心 [7.5].
    section.footer_distance = Mm(23)
    grid = section._sectPr.find(qn("w:docGrid"))
    if grid is None:
        grid = OxmlElement("w:docGrid")
        section._sectPr.append(grid)
    grid.set(qn("w:type"), "linesAndChars" if char_grid else "lines")
    grid.set(qn("w:linePitch"), str(LINE_PITCH))
    if char_grid:
        grid.set(qn("w:charSpace"), str(CHAR_SPACE))


def _base_style(doc: DocxDocument, fonts: Fonts, char_grid: bool) -> None:
    _defaults(doc, fonts)
    normal = doc.styles["Normal"]
    normal.font.size = Pt(SIZE_3)
    rpr = normal.element.get_or_add_rPr()
    _set_fonts(rpr, fonts.name(fonts.body))
    if not char_grid:
        spacing = OxmlElement("w:spacing")
        spacing.set(qn("w:val"), str(CONDENSE_TWENTIETHS))
        rpr.insert_element_before(spacing, "w:w", "w:kern", "w:position", "w:sz", "w:szCs")
    fmt = normal.paragraph_format
    fmt.space_before = fmt.space_after = Pt(0)
    fmt.line_spacing = 1.0
    fmt.widow_control = False


def _defaults(doc: DocxDocument, fonts: Fonts) -> None:
    """The document defaults: python-docx's template has 11 pt theme fonts and 1.15 lines, and
    LibreOffice sizes the character grid from the default size, so 三号 仿宋 and single lines."""
    defaults = doc.styles.element.find(qn("w:docDefaults"))
    rpr = defaults.find(f"{qn('w:rPrDefault')}/{qn('w:rPr')}")
    fonts_element = rpr.find(qn("w:rFonts"))
    for theme in ("w:asciiTheme", "w:eastAsiaTheme", "w:hAnsiTheme", "w:cstheme"):
        fonts_element.attrib.pop(qn(theme), None)
    _set_fonts(rpr, fonts.name(fonts.body))
    for size in ("w:sz", "w:szCs"):
        rpr.find(qn(size)).set(qn("w:val"), str(SIZE_3 * 2))
    lang = rpr.find(qn("w:lang"))
    lang.set(qn("w:val"), "zh-CN")
    lang.set(qn("w:eastAsia"), "zh-CN")
    spacing = defaults.find(f"{qn('w:pPrDefault')}/{qn('w:pPr')}/{qn('w:spacing')}")
    spacing.set(qn("w:after"), "0")
    spacing.set(qn("w:line"), "240")


def _set_fonts(rpr: object, name: str) -> None:
    fonts = rpr.get_or_add_rFonts()  # type: ignore[attr-defined]
    for attr in ("w:ascii", "w:hAnsi", "w:eastAsia", "w:cs"):
        fonts.set(qn(attr), name)


W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"


def _font_table(doc: DocxDocument, fonts: Fonts) -> None:
    """Name each font's stand-in (w:altName), so Word and WPS substitute it when it is missing."""
    part = next(p for p in doc.part.package.iter_parts() if p.partname == "/word/fontTable.xml")
    table = parse_xml(part.blob)
    named = {
        fonts.name(f): f for f in (fonts.page, fonts.kai, fonts.heading, fonts.body, fonts.title)
    }
    for name, official in named.items():
        entry = parse_xml(f'<w:font xmlns:w="{W_NS}"/>')
        entry.set(qn("w:name"), name)
        if name == official and official in fonts.fallbacks:
            alt = OxmlElement("w:altName")
            alt.set(qn("w:val"), fonts.fallbacks[official])
            entry.append(alt)
        charset = OxmlElement("w:charset")
        charset.set(qn("w:val"), "86")  # GB2312
        entry.append(charset)
        table.append(entry)
    part._blob = serialize_part_xml(table)


# Paragraphs ---------------------------------------------------------------------------------


def _paragraph(
    doc: DocxDocument,
    text: str,
    font: str,
    size: float,
    *,
    align: WD_ALIGN_PARAGRAPH | None = WD_ALIGN_PARAGRAPH.JUSTIFY,
    indent_chars: int = 0,
    colour: str | None = None,
) -> Paragraph:
    paragraph = doc.add_paragraph()
    if align is not None:
        paragraph.alignment = align
    if indent_chars:
        _indent(paragraph, first_line=indent_chars)
    if text:
        run = paragraph.add_run(text)
        run.font.size = Pt(size)
        _set_fonts(run._r.get_or_add_rPr(), font)
        if colour:
            run.font.color.rgb = RGBColor.from_string(colour)
    return paragraph


def _indent(paragraph: Paragraph, *, first_line: int = 0, left: int = 0, right: int = 0) -> None:
    """Indents in characters (w:*Chars, hundredths), which follow the grid; twips for others."""
    ind = paragraph._p.get_or_add_pPr().get_or_add_ind()
    for name, chars in (("firstLine", first_line), ("left", left), ("right", right)):
        if chars:
            ind.set(qn(f"w:{name}Chars"), str(chars * 100))
            ind.set(qn(f"w:{name}"), str(chars * SIZE_3 * 20))


def _blank(doc: DocxDocument, lines: int = 1) -> None:
    for _ in range(lines):
        doc.add_paragraph()


def _border(paragraph: Paragraph, side: str, colour: str, size: int = 12, space: int = 0) -> None:
    """A rule as wide as the 版心: a paragraph border (w:sz in eighths of a point)."""
    ppr = paragraph._p.get_or_add_pPr()
    borders = ppr.find(qn("w:pBdr"))
    if borders is None:
        borders = OxmlElement("w:pBdr")
        ppr.append(borders)
    line = OxmlElement(f"w:{side}")
    line.set(qn("w:val"), "single")
    line.set(qn("w:sz"), str(size))
    line.set(qn("w:space"), str(space))
    line.set(qn("w:color"), colour)
    borders.append(line)


# 版头 [7.2] ---------------------------------------------------------------------------------


def _head(doc: DocxDocument, sheet: Sheet) -> None:
    fonts = sheet.fonts
    # The mark may not be wider than the 版心: long office names get a smaller size.
    size = min(SIZE_XIAOCHU, int(TEXT_WIDTH_PT / max(len(sheet.mark), 1)))
    mark = _paragraph(
        doc,
        sheet.mark,
        fonts.name(fonts.title),
        size,
        align=WD_ALIGN_PARAGRAPH.CENTER,
        colour=sheet.colour,
    )
    mark.paragraph_format.space_before = Mm(sheet.mark_top_mm)
    mark.paragraph_format.snap_to_grid = False
    _blank(doc, 2)
    number = _paragraph(
        doc, sheet.number, fonts.name(fonts.body), SIZE_3, align=WD_ALIGN_PARAGRAPH.CENTER
    )
    # The red separator 4 mm (about 11 pt) under the 发文字号 [7.2.6].
    _border(number, "bottom", sheet.colour, size=12, space=11)


# 主体 [7.3] ---------------------------------------------------------------------------------


def _main(doc: DocxDocument, sheet: Sheet) -> None:
    fonts = sheet.fonts
    _blank(doc, 2)
    for line in sheet.title.splitlines() or [""]:
        _paragraph(doc, line, fonts.name(fonts.title), SIZE_2, align=WD_ALIGN_PARAGRAPH.CENTER)
    _blank(doc)
    if sheet.recipients:
        _paragraph(
            doc,
            full_width(sheet.recipients.rstrip(":\uff1a") + ":"),
            fonts.name(fonts.body),
            SIZE_3,
        )
    for line in sheet.body.splitlines():
        _body_line(doc, line.strip(), fonts)
    if sheet.closing:
        _paragraph(doc, sheet.closing, fonts.name(fonts.body), SIZE_3, indent_chars=2)
    _blank(doc, 2)
    for text, right in ((sheet.signature, 2), (sheet.date, 4)):
        paragraph = _paragraph(
            doc, text, fonts.name(fonts.body), SIZE_3, align=WD_ALIGN_PARAGRAPH.RIGHT
        )
        _indent(paragraph, right=right)


def _body_line(doc: DocxDocument, line: str, fonts: Fonts) -> None:
    if not line:
        return
    font = fonts.body
    if HEADING_RE.match(line):
        font = fonts.heading
    elif SUBHEADING_RE.match(line):
        font = fonts.kai
    _paragraph(doc, line, fonts.name(font), SIZE_3, indent_chars=2)


# 版记 [7.4] ---------------------------------------------------------------------------------


def _record(doc: DocxDocument, sheet: Sheet) -> None:
    """版记 [7.4]: lines as wide as the 版心, the text one character in from either side (an
    ideographic space and a tab stop: an indent would shorten the lines with it)."""
    body = sheet.fonts.name(sheet.fonts.body)
    space = "\u3000"
    _blank(doc)
    first: Paragraph | None = None
    if sheet.copy_to:
        text = full_width(f"{space}抄送:{sheet.copy_to.rstrip('。')}。")
        first = _paragraph(doc, text, body, SIZE_4, align=WD_ALIGN_PARAGRAPH.LEFT)
    printed = _paragraph(doc, space + sheet.printer, body, SIZE_4, align=WD_ALIGN_PARAGRAPH.LEFT)
    stop = Pt(TEXT_WIDTH_PT - SIZE_4)
    printed.paragraph_format.tab_stops.add_tab_stop(stop, WD_TAB_ALIGNMENT.RIGHT)
    run = printed.add_run(f"\t{sheet.date}印发")
    run.font.size = Pt(SIZE_4)
    _set_fonts(run._r.get_or_add_rPr(), body)
    # Black lines: the first and last thick (0.35 mm, 1 pt), the middle thin (0.25 mm) [7.4.1].
    _border(first or printed, "top", BLACK, size=8)
    if first is not None:
        _border(first, "bottom", BLACK, size=6)
    _border(printed, "bottom", BLACK, size=8)


# 页码 [7.5] ---------------------------------------------------------------------------------


def _page_numbers(doc: DocxDocument, fonts: Fonts) -> None:
    doc.settings.odd_and_even_pages_header_footer = True
    section = doc.sections[0]
    odd = section.footer.paragraphs[0]
    odd.alignment = WD_ALIGN_PARAGRAPH.RIGHT
    _indent(odd, right=1)
    even = section.even_page_footer.paragraphs[0]
    even.alignment = WD_ALIGN_PARAGRAPH.LEFT
    _indent(even, left=1)
    for paragraph in (odd, even):
        _page_field(paragraph, fonts.name(fonts.page))


def _page_field(paragraph: Paragraph, font: str) -> None:
    """「— PAGE —」: the 一字线 either side of a PAGE field."""

    def run(text: str = "") -> object:
        r = paragraph.add_run(text)
        r.font.size = Pt(SIZE_4)
        _set_fonts(r._r.get_or_add_rPr(), font)
        return r._r

    def fld(kind: str) -> None:
        element = OxmlElement("w:fldChar")
        element.set(qn("w:fldCharType"), kind)
        run().append(element)  # type: ignore[attr-defined]

    run("— ")
    fld("begin")
    instr = OxmlElement("w:instrText")
    instr.set(qn("xml:space"), "preserve")
    instr.text = " PAGE "
    run().append(instr)  # type: ignore[attr-defined]
    fld("separate")
    run("1")
    fld("end")
    run(" —")
