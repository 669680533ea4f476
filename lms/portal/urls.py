from django.urls import path

from lms.portal import views

app_name = "portal"

urlpatterns = [
    path("learn/", views.learn, name="learn"),
]
