"""Partner admins' course pages, under /partner/<slug>/.

Course, lesson and attempt URLs are routes of the course pages themselves.
"""

from django.urls import path

from courses import views

app_name = "courses"

urlpatterns = [
    path("<slug:slug>/assign/", views.assign, name="assign"),
    path("<slug:slug>/progress.csv", views.team_progress_export, name="team_progress_csv"),
]
