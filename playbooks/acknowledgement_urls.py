"""URLs of the acknowledgement part of playbooks (under /acknowledgements/)."""

from django.urls import path

from playbooks.views import acknowledgements as views

app_name = "acknowledgements"
urlpatterns = [
    path("<int:page_pk>/", views.acknowledge, name="acknowledge"),
    path("team/<slug:slug>/", views.team, name="team"),
    path("team/<slug:slug>/acknowledgements.csv", views.team_export, name="team_csv"),
]
