"""Field checks shared by the forms, the actions and the importer; messages name the field."""

from __future__ import annotations

import re

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

CODE_RE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.-]{0,31}$")
USERNAME_RE = re.compile(r"^[A-Za-z0-9_.@+-]{2,150}$")
PHONE_RE = re.compile(r"^(1[3-9]\d{9}|0\d{2,3}-?\d{7,8}(-\d{1,6})?)$")


def fail(field: str, message: str) -> ValidationError:
    return ValidationError({field: [message]})


def check_code(value: str, field: str = "code") -> str:
    value = value.strip()
    if not CODE_RE.match(value):
        raise fail(field, _("单位编码须为 1 至 32 位字母、数字或 _ . -,且以字母或数字开头。"))
    return value


def check_required(value: str, field: str, label: str, max_length: int) -> str:
    value = value.strip()
    if not value:
        raise fail(field, _("%(label)s不能为空。") % {"label": label})
    if len(value) > max_length:
        raise fail(field, _("%(label)s不能超过 %(n)d 个字符。") % {"label": label, "n": max_length})
    return value


def check_optional(value: str, field: str, label: str, max_length: int) -> str:
    value = value.strip()
    if len(value) > max_length:
        raise fail(field, _("%(label)s不能超过 %(n)d 个字符。") % {"label": label, "n": max_length})
    return value


def check_username(value: str, field: str = "username") -> str:
    value = value.strip()
    if not USERNAME_RE.match(value):
        raise fail(field, _("账号须为 2 至 150 位字母、数字或 _ . @ + -。"))
    return value


def check_phone(value: str, field: str = "phone") -> str:
    value = value.strip().replace(" ", "")
    if value and not PHONE_RE.match(value):
        raise fail(field, _("电话号码格式不正确:应为 11 位手机号或带区号的固定电话。"))
    return value
