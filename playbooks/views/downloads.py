"""Every asset download: check access, record who took what, then stream the file.

The file is never read whole: `FileResponse` sends it in blocks, and the playbook's
"download all" zip is written as it is sent (`playbooks.zip_stream`). Each view runs a
handful of queries (the collection rules come from the cache), so a download costs
little more than serving the file as a static one.
"""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.db.models.fields.files import FieldFile
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, StreamingHttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe
from wagtail.documents import get_document_model
from wagtail.images import get_image_model
from wagtail.images.models import SourceImageIOError

from playbooks.asset_audience import access_asset, visible_collection_ids
from playbooks.asset_formats import IMAGE_FORMATS, ORIGINAL, download_name
from playbooks.models import AssetDownload, AssetKind, PlaybookPage
from playbooks.permissions import access_playbook
from playbooks.playbook_assets import playbook_asset_ids, playbook_assets
from playbooks.services.downloads import record_download, record_zip_downloads
from playbooks.zip_stream import ZipMember, stream_zip, unique_names


class DownloadProblem(Exception):
    """A request we answer with a page saying what is wrong (bad input, a missing file)."""

    def __init__(self, message: str, status: int = 400) -> None:
        super().__init__(message)
        self.message = message
        self.status = status


def problem_response(request: HttpRequest, problem: DownloadProblem) -> HttpResponse:
    return render(request, "playbooks/assets/unavailable.html", {"message": problem.message}, status=problem.status)


def _get_asset(model, pk: int, user):
    asset = model.objects.filter(pk=pk).first()
    if asset is None:
        raise Http404(_("No such asset."))
    access_asset(user, asset)
    return asset


def source_playbook(request: HttpRequest, *, kind: str, asset) -> PlaybookPage | None:
    """The playbook a download link came from (`?from=<pk>`), checked, never trusted:
    it must be a live playbook the reader may read, and it must offer this asset."""
    raw = request.GET.get("from")
    if raw is None or raw == "":
        return None
    if not raw.isdigit() or len(raw) > 10:
        raise DownloadProblem(_("This download link is not valid."))
    playbook = PlaybookPage.objects.live().filter(pk=int(raw)).first()
    if playbook is None:
        raise Http404(_("No such playbook."))
    access_playbook(request.user, playbook)
    ids = playbook_asset_ids(playbook)
    if asset.pk not in (ids.images if kind == AssetKind.IMAGE else ids.documents):
        raise DownloadProblem(_("This asset is not part of that playbook."))
    return playbook


def _open(field: FieldFile):
    try:
        return field.storage.open(field.name, "rb")
    except (FileNotFoundError, IsADirectoryError, ValueError) as error:
        raise DownloadProblem(_("The file of this asset is missing. Please tell the marketing team."), 404) from error


class DownloadResponse(FileResponse):
    """Blocks of 64 KB, not Django's 4 KB: brand files are megabytes, and each block is a
    turn of Python's loop (behind a WSGI server with `wsgi.file_wrapper`, the server sends
    the file itself and the size does not matter)."""

    block_size = 64 * 1024


def file_response(handle, *, filename: str, content_type: str | None = None) -> FileResponse:
    response = DownloadResponse(handle, as_attachment=True, filename=filename, content_type=content_type)
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "default-src 'none'"
    response["Cache-Control"] = "private, no-store"
    return response


def _channel(playbook: PlaybookPage | None) -> str:
    return AssetDownload.Channel.PLAYBOOK if playbook is not None else AssetDownload.Channel.LIBRARY


@login_required
@require_safe
def image_download(request: HttpRequest, pk: int) -> HttpResponse:
    """The original or a rendition (`?format=png-800` …) of one image."""
    image = _get_asset(get_image_model(), pk, request.user)
    try:
        choice = IMAGE_FORMATS.get(request.GET.get("format") or ORIGINAL.key)
        if choice is None:
            raise DownloadProblem(_("This image is not offered in that format."))
        playbook = source_playbook(request, kind=AssetKind.IMAGE, asset=image)
        if choice.filter_spec:
            try:
                rendition = image.get_rendition(choice.filter_spec)
            except (SourceImageIOError, FileNotFoundError, OSError) as error:
                raise DownloadProblem(
                    _("The file of this asset is missing. Please tell the marketing team."), 404
                ) from error
            handle = _open(rendition.file)
            filename = download_name(image.title, image.file.name, suffix=str(choice.size), extension=choice.extension)
        else:
            handle = _open(image.file)
            filename = download_name(image.title, image.file.name)
    except DownloadProblem as problem:
        return problem_response(request, problem)
    record_download(
        user=request.user,
        asset=image,
        kind=AssetKind.IMAGE,
        rendition=choice.key,
        channel=_channel(playbook),
        playbook=playbook,
    )
    return file_response(handle, filename=filename)


@login_required
@require_safe
def document_download(request: HttpRequest, pk: int) -> HttpResponse:
    document = _get_asset(get_document_model(), pk, request.user)
    return document_response(request, document, channel_from_link=True)


def document_response(request: HttpRequest, document, *, channel_from_link: bool) -> HttpResponse:
    """Stream `document` (access already checked) and record it. Also answers Wagtail's own
    `/documents/<id>/<file>` URLs, through the `before_serve_document` hook."""
    try:
        playbook = source_playbook(request, kind=AssetKind.DOCUMENT, asset=document) if channel_from_link else None
        handle = _open(document.file)
    except DownloadProblem as problem:
        return problem_response(request, problem)
    record_download(
        user=request.user, asset=document, kind=AssetKind.DOCUMENT, channel=_channel(playbook), playbook=playbook
    )
    return file_response(handle, filename=download_name(document.title, document.file.name), content_type=None)


@login_required
@require_safe
def playbook_zip(request: HttpRequest, page_pk: int) -> HttpResponse:
    """Every asset of one playbook the reader may download, in one zip written as it is sent.
    Assets in collections the reader may not see are left out, never named."""
    playbook = PlaybookPage.objects.live().filter(pk=page_pk).first()
    if playbook is None:
        raise Http404(_("No such playbook."))
    access_playbook(request.user, playbook)
    images, documents = playbook_assets(playbook, visible_collection_ids(request.user))
    present = [(AssetKind.IMAGE, image, image.file) for image in images] + [
        (AssetKind.DOCUMENT, document, document.file) for document in documents
    ]
    present = [(kind, asset, field) for kind, asset, field in present if _exists(field)]
    if not present:
        return problem_response(request, DownloadProblem(_("This playbook has no files you can download."), 404))
    names = unique_names(
        f"{'images' if kind == AssetKind.IMAGE else 'documents'}/{download_name(asset.title, field.name)}"
        for kind, asset, field in present
    )
    members = [
        ZipMember(name=name, open=_opener(field), size=_size(field))
        for name, (_kind, _asset, field) in zip(names, present, strict=True)
    ]
    record_zip_downloads(user=request.user, playbook=playbook, assets=[(kind, asset) for kind, asset, _f in present])
    response = StreamingHttpResponse(stream_zip(members), content_type="application/zip")
    filename = download_name(playbook.title, "", extension="zip")
    response["Content-Disposition"] = _attachment(filename)
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response


def _exists(field: FieldFile) -> bool:
    try:
        return bool(field.name) and field.storage.exists(field.name)
    except (OSError, ValueError):
        return False


def _size(field: FieldFile) -> int | None:
    try:
        return field.storage.size(field.name)
    except (OSError, NotImplementedError):
        return None


def _opener(field: FieldFile):
    return lambda: field.storage.open(field.name, "rb")


def _attachment(filename: str) -> str:
    from django.utils.http import content_disposition_header

    return content_disposition_header(as_attachment=True, filename=filename)
