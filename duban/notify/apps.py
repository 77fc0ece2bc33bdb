from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NotifyConfig(AppConfig):
    name = "duban.notify"
    label = "notify"
    verbose_name = _("消息通知")

    def ready(self) -> None:
        from duban.notify import access  # noqa: F401  (registers the outbox permissions)
