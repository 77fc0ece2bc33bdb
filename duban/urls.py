from django.contrib import admin
from django.urls import include, path, re_path

from duban.api import errors as api_errors
from duban.api.api import api
from duban.core import views as core_views

admin.site.site_header = "督办 · 系统管理"
admin.site.site_title = "督办"
admin.site.index_title = "数据管理"

urlpatterns = [
    path("", core_views.workbench, name="workbench"),
    path("accounts/", include("duban.core.auth_urls")),
    path("org/", include("duban.org.urls")),
    path("items/", include("duban.items.urls")),
    path("audit/", include("duban.audit.urls")),
    path("calendar/", include("duban.workdays.urls")),
    path("rules/", include("duban.rulesets.urls")),
    path("inbox/", include("duban.notify.urls")),
    path("assessment/", include("duban.assessment.urls")),
    path("ledgers/", include("duban.ledgers.urls")),
    path("documents/", include("duban.documents.urls")),
    path("api/v1/", api.urls),
    re_path(r"^api/(?P<rest>.*)$", api_errors.unknown_path),
    path("i18n/", include("django.conf.urls.i18n")),
    path("admin/", admin.site.urls),
]
