"""The project's URLs as `DEBUG=true` builds them, with `/media/` served (tests run with DEBUG off)."""

from lms.media_serving import debug_media_urlpatterns
from lms.urls import urlpatterns as project_urlpatterns

urlpatterns = debug_media_urlpatterns() + project_urlpatterns
handler403 = "lms.portal.views.permission_denied"
handler404 = "lms.portal.views.page_not_found"
handler500 = "lms.portal.views.server_error"
