from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ItemsConfig(AppConfig):
    name = "duban.items"
    label = "items"
    verbose_name = _("督查事项")

    def ready(self) -> None:
        # Imported for their side effects: the item permissions and the 工作台 panels.
        from duban.items import access, recalc_panel, workbench  # noqa: F401
