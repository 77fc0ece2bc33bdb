from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DocumentsConfig(AppConfig):
    name = "duban.documents"
    label = "documents"
    verbose_name = _("督查文书")

    def ready(self) -> None:
        from duban.documents import access  # noqa: F401  (registers the permissions)
