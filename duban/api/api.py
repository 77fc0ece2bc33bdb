"""The NinjaAPI at /api/v1/: authentication, error shape, routers, offline docs."""

from __future__ import annotations

from ninja import NinjaAPI, Swagger

from duban.api import attachments, errors, extensions, items, reminders, reports, units
from duban.api.auth import SessionAuth, TokenAuth

DESCRIPTION = """督办平台接口。集成系统使用 `Authorization: Bearer <令牌>`(令牌由
`duban api-token 账号 --name 用途` 生成,密钥只显示一次);同源页面可用登录会话调用,
写操作须带 CSRF 令牌。出错时返回
`{"code": 机器码, "message": 中文说明, "fields": {字段: [说明]}}`。"""

api = NinjaAPI(
    title="督办 duban API",
    version="1",
    description=DESCRIPTION,
    urls_namespace="api-v1",
    auth=[TokenAuth(), SessionAuth()],
    # Swagger UI from ninja's own static files (ninja is in INSTALLED_APPS), never a CDN;
    # validatorUrl None keeps it from sending the document to an outside validator.
    docs=Swagger(settings={"validatorUrl": None}),
    docs_url="/docs",
    openapi_url="/openapi.json",
)
errors.install(api)
api.add_router("", units.router)
api.add_router("", items.router)
api.add_router("", reports.router)
api.add_router("", extensions.router)
api.add_router("", reminders.router)
api.add_router("", attachments.router)
