"""Open Badges 2.0 hosted documents, at stable language-free addresses under /badges/.

Each document's `id` is the very URL it is served from, as validators require.
"""

from django.urls import path

from certifications.views import badges

app_name = "badges"

urlpatterns = [
    path("issuer.json", badges.issuer, name="issuer"),
    path("classes/<slug:slug>.json", badges.badge_class, name="badge_class"),
    path("classes/<slug:slug>.png", badges.badge_image, name="badge_image"),
    path("assertions/<str:code>.json", badges.assertion, name="assertion"),
]
