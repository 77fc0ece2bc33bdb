from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OrgConfig(AppConfig):
    name = "duban.org"
    label = "org"
    verbose_name = _("组织机构")

    def ready(self) -> None:
        # Imported for their side effects: the 工作台 panel and the unit offers.
        from duban.org import offers, workbench  # noqa: F401
