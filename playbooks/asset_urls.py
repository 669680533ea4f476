"""URLs of the brand asset library: the listing, one page per asset, and the downloads."""

from django.urls import path

from playbooks.views import assets, downloads

app_name = "assets"
urlpatterns = [
    path("", assets.index, name="index"),
    path("images/<int:pk>/", assets.image_detail, name="image"),
    path("images/<int:pk>/download/", downloads.image_download, name="image_download"),
    path("documents/<int:pk>/", assets.document_detail, name="document"),
    path("documents/<int:pk>/download/", downloads.document_download, name="document_download"),
    path("playbooks/<int:page_pk>/download-all/", downloads.playbook_zip, name="playbook_zip"),
]
