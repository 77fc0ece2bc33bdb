"""The only code that changes documents and templates (shared/DESIGN.md principle 2).

draft (text from data and the office's template) → edit (audited, before → after) → issue (the
发文字号 from the locked counter, the text frozen, the DOCX stored), all in one transaction each,
with the audit event in it. A stale page (another edit or issue since) is a Conflict.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import F
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from duban.audit.log import record
from duban.audit.types import EventType
from duban.core import clock
from duban.documents import drafting, layout, numbering
from duban.documents.models import DocKind, DocState, Document, DocumentTemplate
from duban.items.access import may_see_secret
from duban.items.actions import Conflict
from duban.items.models import Confidentiality, Item
from duban.notify.actions import notify_units
from duban.org.access import require
from duban.org.models import Role, Unit, User
from duban.org.validation import check_optional, check_required, fail

atomic = transaction.atomic
# A 催办单/督办单 is printed in the colour of its item's light.
LIGHT_COLOURS = {"red": layout.RED, "yellow": "FFC000", "green": "00B050"}
TEXT_FIELDS: dict[str, tuple[Any, int, bool]] = {
    # field: (label, max length, required)
    "title": (gettext_lazy("标题"), 200, True),
    "recipients": (gettext_lazy("主送"), 500, False),
    "body": (gettext_lazy("正文"), 50000, True),
    "closing": (gettext_lazy("结束语"), 200, False),
    "signature": (gettext_lazy("署名"), 100, True),
    "copy_to": (gettext_lazy("抄送"), 500, False),
}
PREFIX_RE = re.compile(r"^[^\s〔〕\[\]()()]{1,20}$")


def _today(today: dt.date | None) -> dt.date:
    return today or clock.today()


def template_for(office: Unit, kind: str) -> DocumentTemplate:
    """The office's own template of this kind, else the preset."""
    rows = DocumentTemplate.objects.filter(kind=kind, office_unit__in=[office])
    own = rows.first()
    if own is not None:
        return own
    preset = DocumentTemplate.objects.filter(kind=kind, office_unit__isnull=True).first()
    if preset is None:
        raise fail("kind", _("缺少「%(kind)s」的文书模板预设。") % {"kind": DocKind(kind).label})
    return preset


# Drafting -----------------------------------------------------------------------------------


def _official() -> translation.override:
    """An official document is drafted in Chinese whatever the language of the page that asks
    for it (GB/T 9704: the 公文 itself; only the pages around it are translated)."""
    return translation.override(settings.LANGUAGE_CODE)


def _create(
    kind: str, office: Unit, actor: User | None, draft: drafting.Draft, **extra: Any
) -> Document:
    template = template_for(office, kind)
    with _official():
        texts = drafting.texts(template, draft)
    document = Document.objects.create(
        kind=kind, office_unit=office, light=draft.light, created_by=actor, **texts, **extra
    )
    document.items.set(draft.items)
    document.addressees.set(draft.addressees)
    record(
        EventType.DOCUMENT_DRAFTED,
        actor=actor,
        unit=office,
        target=document,
        details={"kind": str(DocKind(kind).label), "title": document.title},
    )
    return document


@atomic
def draft_for_item(
    item: Item, kind: str, *, actor: User | None, today: dt.date | None = None
) -> Document:
    """A 督查通知 or a 催办单/督办单 of one item, from the registering office."""
    require(actor, "document", "draft", item.owner_unit)
    if actor is not None and not may_see_secret(actor, item):
        raise PermissionDenied(_("您没有权限执行此操作。"))
    if kind not in (DocKind.NOTICE, DocKind.REMINDER):
        raise fail("kind", _("事项只能生成督查通知或催办单/督办单。"))
    office = item.owner_unit
    maker = drafting.notice if kind == DocKind.NOTICE else drafting.reminder
    try:
        with _official():
            draft = maker(item, office, _today(today))
    except ValueError as refused:
        raise fail("item", str(refused)) from None
    return _create(kind, office, actor, draft)


@atomic
def draft_bulletin(
    *,
    actor: User,
    office: Unit,
    start: dt.date,
    end: dt.date,
    today: dt.date | None = None,
) -> Document:
    require(actor, "document", "draft", office)
    if start > end:
        raise fail("period_end", _("通报截止日期不能早于起始日期。"))
    with _official():
        draft = drafting.bulletin(actor, office, start, end, _today(today))
    return _create(DocKind.BULLETIN, office, actor, draft, period_start=start, period_end=end)


@atomic
def draft_report(
    *,
    actor: User,
    office: Unit,
    topic: str,
    item_ids: list[int],
    today: dt.date | None = None,
) -> Document:
    require(actor, "document", "draft", office)
    topic = check_required(topic, "topic", _("专报题目"), 200)
    with _official():
        draft = drafting.report(actor, office, topic, item_ids, _today(today))
    if item_ids and not draft.items:
        raise fail("items", _("所选事项不存在或您无权查看。"))
    return _create(DocKind.REPORT, office, actor, draft)


# Editing and issuing --------------------------------------------------------------------------


def _claim(document: Document, version: int, **fields: Any) -> None:
    """Write `fields` only if the document is still a draft at the version the person saw."""
    rows = Document.objects.filter(pk=document.pk, version=version, state=DocState.DRAFT)
    if rows.update(version=F("version") + 1, **fields) != 1:
        raise Conflict({"version": [_("文书已被他人修改或已签发,请刷新后重试。")]})
    document.refresh_from_db()


def clean_texts(fields: dict[str, Any]) -> dict[str, str]:
    unknown = set(fields) - set(TEXT_FIELDS)
    if unknown:
        raise fail(sorted(unknown)[0], _("该项不能修改。"))
    cleaned = {}
    for name, value in fields.items():
        label, limit, required = TEXT_FIELDS[name]
        check = check_required if required else check_optional
        cleaned[name] = check(str(value or ""), name, label, limit)
    return cleaned


@atomic
def edit_draft(document: Document, *, actor: User | None, version: int, **fields: Any) -> Document:
    require(actor, "document", "draft", document.office_unit)
    cleaned = clean_texts(fields)
    changed = {k: v for k, v in cleaned.items() if getattr(document, k) != v}
    before = {k: getattr(document, k) for k in changed}
    _claim(document, version, **changed)
    if changed:
        record(
            EventType.DOCUMENT_EDITED,
            actor=actor,
            unit=document.office_unit,
            target=document,
            details={k: [_short(before[k]), _short(v)] for k, v in changed.items()},
        )
    return document


def _short(text: str, limit: int = 200) -> str:
    return text if len(text) <= limit else text[:limit] + "…"


@atomic
def issue(
    document: Document, *, actor: User | None, version: int, today: dt.date | None = None
) -> Document:
    """签发: the next 发文字号 of the office, kind and year; the text frozen in the stored DOCX."""
    require(actor, "document", "issue", document.office_unit)
    today = _today(today)
    template = template_for(document.office_unit, document.kind)
    _claim(document, version, state=DocState.ISSUED, issued_by=actor, issued_at=clock.now())
    serial = numbering.next_serial(document.office_unit, document.kind, today.year)
    number = numbering.format_number(template.number_prefix, today.year, serial)
    data = layout.render(sheet(document, template, number, today))
    document.number, document.year, document.serial = number, today.year, serial
    document.docx.save(
        f"{document.kind}-{today.year}-{serial:04d}.docx", ContentFile(data), save=False
    )
    document.save(update_fields=["number", "year", "serial", "docx"])
    record(
        EventType.DOCUMENT_ISSUED,
        actor=actor,
        unit=document.office_unit,
        target=document,
        details={"number": number, "title": document.title},
    )
    _tell_addressees(document)
    return document


def _tell_addressees(document: Document) -> None:
    """The 主送 units' liaisons and leaders hear of it through the inbox and the outbox."""
    secret = document.items.filter(confidentiality=Confidentiality.SECRET).exists()
    notify_units(
        document.addressees.all(),
        [Role.LIAISON, Role.UNIT_LEADER],
        kind="document_issued",
        title=_("%(kind)s %(number)s")
        % {"kind": document.get_kind_display(), "number": document.number},
        body=document.title,
        url=reverse("documents:detail", args=[document.pk]),
        private=secret,
    )


@atomic
def discard(document: Document, *, actor: User | None, version: int) -> None:
    require(actor, "document", "draft", document.office_unit)
    _claim(document, version)
    record(
        EventType.DOCUMENT_DISCARDED,
        actor=actor,
        unit=document.office_unit,
        target=document,
        details={"title": document.title},
    )
    document.delete()


# The DOCX -----------------------------------------------------------------------------------


def sheet(
    document: Document,
    template: DocumentTemplate,
    number: str,
    day: dt.date,
    *,
    fallback: bool | None = None,
    char_grid: bool = True,
) -> layout.Sheet:
    fonts = layout.Fonts(
        title=template.title_font,
        body=template.body_font,
        heading=template.heading_font,
        kai=template.kai_font,
        page=template.page_font,
        fallbacks=template.fallbacks(),
        use_fallback=template.use_fallback_fonts if fallback is None else fallback,
    )
    office = document.office_unit.name
    return layout.Sheet(
        mark=drafting.fill(template.issuer_mark, {"office": office}),
        number=number,
        title=document.title,
        recipients=document.recipients,
        body=document.body,
        closing=document.closing,
        signature=document.signature,
        copy_to=document.copy_to,
        date=drafting.cn_date(day),
        printer=office,
        colour=LIGHT_COLOURS.get(document.light, layout.RED),
        mark_top_mm=template.mark_top_mm,
        fonts=fonts,
        char_grid=char_grid,
    )


def docx_bytes(document: Document, *, fallback: bool | None = None, for_pdf: bool = False) -> bytes:
    """The issued file as stored; a draft is laid out now, its 发文字号 left open. `for_pdf`:
    laid out again for LibreOffice (layout.CONDENSE_TWENTIETHS), from the same frozen text."""
    if not document.is_draft and document.docx and fallback is None and not for_pdf:
        try:
            with document.docx.open("rb") as stored:
                return stored.read()
        except FileNotFoundError:
            pass  # a media folder not restored with the database: the same text laid out again
    template = template_for(document.office_unit, document.kind)
    if document.is_draft:
        number = f"{template.number_prefix}〔{clock.today().year}〕  号"
        day = clock.today()
    else:
        number, day = document.number, timezone.localdate(document.issued_at)
    chosen = sheet(document, template, number, day, fallback=fallback, char_grid=not for_pdf)
    return layout.render(chosen)


# Templates ----------------------------------------------------------------------------------

TEMPLATE_FIELDS = (
    "issuer_mark",
    "number_prefix",
    "mark_top_mm",
    "title_template",
    "recipients",
    "body_template",
    "closing",
    "signature",
    "copy_to",
    "title_font",
    "body_font",
    "heading_font",
    "kai_font",
    "page_font",
    "font_fallbacks",
    "use_fallback_fonts",
)


def _template_value(name: str, value: Any) -> Any:
    field: Any = DocumentTemplate._meta.get_field(name)
    label = str(field.verbose_name)
    if name == "use_fallback_fonts":
        return bool(value)
    if name == "mark_top_mm":
        if not str(value).isdigit() or int(value) > 80:
            raise fail(name, _("%(label)s须为 0 至 80 之间的整数。") % {"label": label})
        return int(value)
    text = str(value or "")
    limit = int(field.max_length or 50000)
    text = (check_optional if field.blank else check_required)(text, name, label, limit)
    if name == "number_prefix" and not PREFIX_RE.match(text):
        raise fail(name, _("发文字号代字须为 1 至 20 个字,不含空格和括号,例:济政督。"))
    if name == "font_fallbacks":
        _check_fallbacks(text)
    if name in drafting.TEMPLATE_TEXTS:
        _check_placeholders(name, label, text)
    return text


def _check_placeholders(name: str, label: str, text: str) -> None:
    try:
        unknown = drafting.unknown_placeholders(text)
    except ValueError:
        raise fail(name, _("%(label)s中的花括号不成对。") % {"label": label}) from None
    if unknown:
        known = "、".join(f"{{{key}}}" for key in drafting.PLACEHOLDERS)
        raise fail(
            name,
            _("%(label)s含未知占位符 %(unknown)s;可用的占位符为 %(known)s。")
            % {"label": label, "unknown": "、".join(f"{{{u}}}" for u in unknown), "known": known},
        )


def _check_fallbacks(text: str) -> None:
    for n, line in enumerate(text.splitlines(), 1):
        official, _sep, other = line.partition("=")
        if line.strip() and not (official.strip() and other.strip()):
            raise fail(
                "font_fallbacks",
                _("替代字体第 %(n)d 行须写成「正式字体=替代字体」。") % {"n": n},
            )


@atomic
def update_template(
    office: Unit, kind: str, *, actor: User | None, **fields: Any
) -> DocumentTemplate:
    """The office's own template: made from the preset on its first edit, then changed."""
    require(actor, "document", "template", office)
    if kind not in DocKind.values:
        raise fail("kind", _("文书类型不正确。"))
    unknown = set(fields) - set(TEMPLATE_FIELDS)
    if unknown:
        raise fail(sorted(unknown)[0], _("该项不能修改。"))
    cleaned = {name: _template_value(name, value) for name, value in fields.items()}
    current = template_for(office, kind)
    own = current.office_unit_id == office.pk
    changed = {k: v for k, v in cleaned.items() if getattr(current, k) != v}
    details = {k: [getattr(current, k), v] for k, v in changed.items()}
    if own:
        template = DocumentTemplate.objects.select_for_update().get(pk=current.pk)
        for name, value in changed.items():
            setattr(template, name, value)
        template.save()
    else:
        copied = {name: getattr(current, name) for name in TEMPLATE_FIELDS}
        template = DocumentTemplate.objects.create(
            office_unit=office, kind=kind, **(copied | cleaned)
        )
    if changed or not own:
        record(
            EventType.DOC_TEMPLATE_UPDATED if own else EventType.DOC_TEMPLATE_CREATED,
            actor=actor,
            unit=office,
            target=template,
            details=details,
        )
    return template
