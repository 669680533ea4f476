from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


class PartnersConfig(AppConfig):
    name = "lms.partners"
    label = "partners"
    verbose_name = _("Partner organizations")

    def ready(self) -> None:
        from lms.partners import signals  # noqa: F401  (connects the membership receivers)
        from lms.partners.roles import ensure_staff_roles

        post_migrate.connect(ensure_staff_roles, sender=self, dispatch_uid="partners.ensure_staff_roles")
