from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ItemsConfig(AppConfig):
    name = "duban.items"
    label = "items"
    verbose_name = _("督查事项")

    def ready(self) -> None:
        from duban.items import access  # noqa: F401  (registers the item permissions)
