"""The app's URLconf plus the reference views, used as ROOT_URLCONF while benchmarking."""

from django.conf import settings
from django.urls import path
from django.views.static import serve

from bench import views
from lms import urls as lms_urls

urlpatterns = [
    path("__bench__/home/", views.home),
    path("__bench__/learn/", views.learn),
    path("__bench__/catalog/", views.catalog),
    path("__bench__/course/", views.course),
    path("__bench__/lesson/", views.lesson),
    path("__bench__/exam-submit/", views.exam_submit),
    path("__bench__/bare/", views.bare),
    path("__bench__/tiers/", views.tier_dashboard),
    path("__bench__/playbook/", views.playbook),
    # The asset download's reference: the same file, served as a static file.
    path("__bench__/media/<path:path>", serve, {"document_root": settings.MEDIA_ROOT}),
    # Spread, not include(): LocaleMiddleware looks for i18n_patterns at the top level.
    *lms_urls.urlpatterns,
]

handler403 = lms_urls.handler403
handler404 = lms_urls.handler404
handler500 = lms_urls.handler500
