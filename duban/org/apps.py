from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OrgConfig(AppConfig):
    name = "duban.org"
    label = "org"
    verbose_name = _("组织机构")

    def ready(self) -> None:
        from duban.org import workbench  # noqa: F401  (registers the panel)
