from django.conf import settings
from django.conf.urls.i18n import i18n_patterns
from django.urls import include, path
from django.views.generic import RedirectView
from wagtail import urls as wagtail_urls
from wagtail.admin import urls as wagtailadmin_urls
from wagtail.documents import urls as wagtaildocs_urls

from lms.portal import views as portal_views

urlpatterns = [
    path("admin/", include(wagtailadmin_urls)),
    path("documents/", include(wagtaildocs_urls)),
    path("language/", portal_views.switch_language, name="switch_language"),
    path("badges/", include("certifications.badge_urls")),
]

urlpatterns += i18n_patterns(
    path("accounts/", include("lms.accounts.urls")),
    path("partner/", include("lms.partners.urls")),
    path("partner/", include("courses.urls")),
    path("", include("certifications.urls")),
    path("tiers/", include("certifications.tier_urls")),
    path("notifications/", include("lms.notifications.urls")),
    path("assets/", include("playbooks.asset_urls")),
    path("acknowledgements/", include("playbooks.acknowledgement_urls")),
    path("", include("lms.portal.urls")),
    # Wagtail's own front-end sign-in page would be a second door beside the portal's.
    path(
        "_util/login/",
        RedirectView.as_view(pattern_name="accounts:login", query_string=True),
        name="wagtail_login_redirect",
    ),
    path("", include(wagtail_urls)),
    prefix_default_language=False,
)

if settings.DEBUG:
    # Not original images or documents: those go through the views that check access.
    from lms.media_serving import debug_media_urlpatterns

    urlpatterns = debug_media_urlpatterns() + urlpatterns

handler403 = "lms.portal.views.permission_denied"
handler404 = "lms.portal.views.page_not_found"
handler500 = "lms.portal.views.server_error"
