from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class LedgersConfig(AppConfig):
    name = "duban.ledgers"
    label = "ledgers"
    verbose_name = _("台账与统计")

    def ready(self) -> None:
        from django.db.models.signals import post_migrate

        post_migrate.connect(_keep_search_index, sender=self)


def _keep_search_index(using: str = "default", **kwargs: object) -> None:
    from duban.ledgers.search import ensure_sqlite_index

    ensure_sqlite_index(using)
