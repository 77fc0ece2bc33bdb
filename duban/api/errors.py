"""Every refusal as `{"code", "message", "fields"}` with a Chinese message (issue 4 item 12).

The actions already refuse in Chinese with the field named (Django's ValidationError); this maps
each kind of refusal to a status and a machine code that an integration can branch on.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.core.exceptions import ObjectDoesNotExist, PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.utils.translation import gettext as _
from ninja import NinjaAPI, Schema
from ninja.errors import AuthenticationError, HttpError
from ninja.errors import ValidationError as SchemaError

from duban.items.actions import Conflict
from duban.items.states import IllegalTransition


class ErrorOut(Schema):
    code: str
    message: str
    fields: dict[str, list[str]] = {}


HTTP_CODES = {401: "unauthenticated", 403: "forbidden", 404: "not_found", 429: "throttled"}

Handler = Callable[[HttpRequest, Any], HttpResponse]


def _field_messages(error: ValidationError) -> dict[str, list[str]]:
    if hasattr(error, "error_dict"):
        return {field: [str(m) for m in msgs] for field, msgs in error.message_dict.items()}
    return {"__all__": [str(m) for m in error.messages]}


def _schema_messages(error: SchemaError) -> dict[str, list[str]]:
    """Pydantic's complaints (English) reduced to the field and a Chinese message."""
    fields: dict[str, list[str]] = {}
    for problem in error.errors:
        # loc is (where, [body parameter,] field, ...), e.g. ("body", "payload", "version").
        parts = [str(part) for part in problem.get("loc", ())[1:]]
        if parts and parts[0] == "payload":
            parts = parts[1:]
        field = ".".join(parts) or "__all__"
        missing = problem.get("type") == "missing"
        text = _("此项为必填项。") if missing else _("取值无效。")
        fields.setdefault(field, []).append(text)
    return fields


def install(api: NinjaAPI) -> None:
    def reply(request: HttpRequest, status: int, code: str, message: str, **fields: Any) -> Any:
        body = {"code": code, "message": message, "fields": fields.get("fields", {})}
        return api.create_response(request, body, status=status)

    def invalid(request: HttpRequest, exc: ValidationError) -> HttpResponse:
        return reply(request, 400, "invalid", exc.messages[0], fields=_field_messages(exc))

    def schema_invalid(request: HttpRequest, exc: SchemaError) -> HttpResponse:
        fields = _schema_messages(exc)
        names = "、".join(sorted(fields))
        message = _("请求数据不符合要求:%(fields)s。") % {"fields": names}
        return reply(request, 400, "invalid", message, fields=fields)

    def illegal(request: HttpRequest, exc: IllegalTransition) -> HttpResponse:
        fields = _field_messages(exc)
        return reply(request, 409, "illegal_transition", exc.messages[0], fields=fields)

    def conflict(request: HttpRequest, exc: Conflict) -> HttpResponse:
        return reply(request, 409, "conflict", exc.messages[0], fields=_field_messages(exc))

    def forbidden(request: HttpRequest, exc: PermissionDenied) -> HttpResponse:
        return reply(request, 403, "forbidden", str(exc) or _("您没有权限执行此操作。"))

    def not_found(request: HttpRequest, exc: Exception) -> HttpResponse:
        # The same answer for missing and out of scope (shared/DESIGN.md principle 4).
        return reply(request, 404, "not_found", _("对象不存在,或您无权查看。"))

    def unauthenticated(request: HttpRequest, exc: AuthenticationError) -> HttpResponse:
        message = exc.message if exc.message != "Unauthorized" else _("请先登录或提供访问令牌。")
        return reply(request, 401, "unauthenticated", message)

    def http_error(request: HttpRequest, exc: HttpError) -> HttpResponse:
        code = HTTP_CODES.get(exc.status_code, "error")
        message = str(exc)
        if message.startswith("Cannot parse request body"):  # django-ninja's own, in English
            code, message = "invalid", _("请求体不是有效的 JSON。")
        return reply(request, exc.status_code, code, message)

    handlers: list[tuple[type[Exception], Handler]] = [
        (ValidationError, invalid),
        (SchemaError, schema_invalid),
        (IllegalTransition, illegal),
        (Conflict, conflict),
        (PermissionDenied, forbidden),
        (Http404, not_found),
        (ObjectDoesNotExist, not_found),
        (AuthenticationError, unauthenticated),
        (HttpError, http_error),
    ]
    for exc_class, handler in handlers:
        api.add_exception_handler(exc_class, handler)


def unknown_path(request: HttpRequest, rest: str = "") -> HttpResponse:
    """Any other path under /api/: the JSON 404 an integration expects, not Django's HTML page."""
    body = {"code": "not_found", "message": _("接口不存在:%(path)s") % {"path": request.path}}
    return JsonResponse(
        {**body, "fields": {}}, status=404, json_dumps_params={"ensure_ascii": False}
    )
