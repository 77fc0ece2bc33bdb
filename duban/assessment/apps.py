from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AssessmentConfig(AppConfig):
    name = "duban.assessment"
    label = "assessment"
    verbose_name = _("督办与问责")

    def ready(self) -> None:
        from duban.assessment import (  # noqa: F401  (registers the permissions and the sweeps)
            access,
            sweeps,
        )
