"""URLs of the acknowledgement part of playbooks."""

app_name = "acknowledgements"
urlpatterns: list = []
