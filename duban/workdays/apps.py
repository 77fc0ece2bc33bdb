from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class WorkdaysConfig(AppConfig):
    name = "duban.workdays"
    label = "workdays"
    verbose_name = _("工作日与期限")

    def ready(self) -> None:
        from duban.workdays import access, workbench  # noqa: F401  (permissions, 工作台 panel)
