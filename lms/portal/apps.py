from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PortalConfig(AppConfig):
    name = "lms.portal"
    label = "portal"
    verbose_name = _("Portal")

    def ready(self) -> None:
        from django.conf import settings

        from lms.media_checks import guard_against_decompression_bombs

        # Pillow refuses any image over the admin's pixel limit, at upload and when a
        # rendition is made later, instead of decoding it half-way.
        guard_against_decompression_bombs(settings.WAGTAILIMAGES_MAX_IMAGE_PIXELS)
