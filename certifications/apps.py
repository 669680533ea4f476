from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CertificationsConfig(AppConfig):
    name = "certifications"
    verbose_name = _("Certifications")

    def ready(self) -> None:
        from certifications import receivers  # noqa: F401  (listens to the courses app)
        from certifications.roles import grant_certification_permissions

        grant_certification_permissions()
