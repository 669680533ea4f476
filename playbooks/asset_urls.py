"""URLs of the asset part of playbooks."""

app_name = "assets"
urlpatterns: list = []
