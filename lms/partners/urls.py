from django.urls import path

from lms.partners import views

app_name = "partners"

urlpatterns = [
    path("", views.partner_home, name="home"),
    path("<slug:slug>/", views.team, name="team"),
    path("<slug:slug>/invitations/", views.invite, name="invite"),
    path("<slug:slug>/invitations/<int:pk>/resend/", views.resend_invitation, name="resend_invitation"),
    path("<slug:slug>/invitations/<int:pk>/revoke/", views.revoke_invitation, name="revoke_invitation"),
    path("<slug:slug>/members/<int:pk>/role/", views.change_member_role, name="change_member_role"),
    path("<slug:slug>/members/<int:pk>/remove/", views.remove_member, name="remove_member"),
]
