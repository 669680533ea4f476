"""Public verification and certificates (in both languages), and the team's credentials.

Included in the language-prefixed patterns: /verify/… and /fa/verify/….
Open Badges documents have language-free addresses, in `certifications.badge_urls`.
"""

from django.urls import path

from certifications.views import team, verify

app_name = "certifications"

urlpatterns = [
    path("verify/", verify.lookup, name="verify_lookup"),
    path("verify/<str:code>/", verify.verify, name="verify"),
    path("verify/<str:code>/certificate.pdf", verify.certificate_pdf, name="certificate_pdf"),
    path("partner/<slug:slug>/credentials.csv", team.credentials_export, name="team_credentials_csv"),
]
