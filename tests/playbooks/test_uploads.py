"""Uploads to the image and document library, through the real Wagtail admin views: each
malformed file is refused with a message that names the problem and leaves nothing
behind (no row, no file in MEDIA_ROOT, no temporary file); good files are accepted."""

from __future__ import annotations

import json
from io import BytesIO
from pathlib import Path

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.handlers.asgi import ASGIRequest
from django.http import HttpResponse
from django.test import RequestFactory
from PIL import Image as PillowImage
from wagtail.documents import get_document_model
from wagtail.images import get_image_model
from wagtail.models import Collection, UploadedFile

from lms.partners.roles import StaffRole
from lms.uploads import RequestSizeLimitMiddleware, body_limit
from tests.factories import UserFactory
from tests.playbooks import uploads_builders as files

pytestmark = pytest.mark.django_db

Image = get_image_model()
Document = get_document_model()


@pytest.fixture(scope="session")
def png_bomb() -> bytes:
    return files.png_bomb()


@pytest.fixture
def marketer(make_staff):
    return make_staff(StaffRole.MARKETER, email="marketer@vendor.example")


@pytest.fixture
def superuser(db):
    return UserFactory(is_staff=True, is_superuser=True, email="root@vendor.example")


@pytest.fixture(params=["marketer", "superuser"])
def editor(request, client):
    """Each upload test runs as a marketer and as a superuser."""
    user = request.getfixturevalue(request.param)
    client.force_login(user)
    return user


@pytest.fixture(autouse=True)
def upload_temp_dir(settings, tmp_path) -> Path:
    """Every upload over 1 KB goes to a temporary file here, so a test sees one left behind."""
    directory = tmp_path / "upload-temp"
    directory.mkdir()
    settings.FILE_UPLOAD_TEMP_DIR = str(directory)
    settings.FILE_UPLOAD_MAX_MEMORY_SIZE = 1024
    return directory


@pytest.fixture
def nothing_left(media_root, upload_temp_dir):
    """Call after a rejection: what the library held before is all it holds now."""
    images_before, documents_before = (
        set(Image.objects.values_list("pk", flat=True)),
        set(Document.objects.values_list("pk", flat=True)),
    )
    files_before = stored_files(media_root)

    def check() -> None:
        assert set(Image.objects.values_list("pk", flat=True)) == images_before
        assert set(Document.objects.values_list("pk", flat=True)) == documents_before
        assert not UploadedFile.objects.exists()
        assert stored_files(media_root) == files_before
        assert list(upload_temp_dir.iterdir()) == []

    return check


def stored_files(root: Path) -> set[str]:
    return (
        {str(path.relative_to(root)) for path in Path(root).rglob("*") if path.is_file()}
        if Path(root).exists()
        else set()
    )


def originals(root: Path) -> set[str]:
    return {name for name in stored_files(root) if name.startswith("original_images/")}


def root_collection() -> int:
    return Collection.get_first_root_node().pk


def upload_multiple(client, kind: str, name: str, content: bytes) -> dict:
    response = client.post(
        f"/admin/{kind}/multiple/add/",
        {"files[]": SimpleUploadedFile(name, content), "collection": root_collection()},
    )
    assert response.status_code == 200, response.content[:500]
    return json.loads(response.content)


def upload_single(client, kind: str, name: str, content: bytes):
    return client.post(
        f"/admin/{kind}/add/",
        {"title": name, "file": SimpleUploadedFile(name, content), "collection": root_collection()},
    )


def form_errors(response) -> str:
    assert response.status_code == 200, response.status_code
    return " ".join(response.context["form"].errors.get("file", []))


# Images -------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("logo.png", b"Just some notes, not a picture.\n", "This file is not a real PNG: its content is plain text."),
        ("logo.png", files.truncated_png(), "This image file is damaged or incomplete."),
        (
            "logo.svg",
            files.SVG_WITH_SCRIPT,
            "SVG and HTML files are not accepted: they can run scripts in the browser.",
        ),
        ("logo.png", files.SVG_WITH_SCRIPT, "This file is not a real PNG: its content is SVG"),
        ("logo.jpg", files.raster("PNG"), "This file is not a real JPG: its content is a PNG image."),
    ],
    ids=["text-as-png", "truncated-png", "svg", "svg-as-png", "png-as-jpg"],
)
def test_a_malformed_image_is_refused_by_the_multiple_uploader(client, editor, nothing_left, name, content, message):
    answer = upload_multiple(client, "images", name, content)
    assert answer["success"] is False
    assert message in answer["error_message"]
    nothing_left()


def test_a_png_decompression_bomb_is_refused_with_its_size(client, editor, nothing_left, png_bomb):
    assert len(png_bomb) < 200 * 1024
    answer = upload_multiple(client, "images", "bomb.png", png_bomb)
    assert answer["success"] is False
    assert "This image is 30,000 × 30,000 pixels, more than the 64,000,000 pixels allowed." in answer["error_message"]
    nothing_left()
    assert "30,000 × 30,000" in form_errors(upload_single(client, "images", "bomb.png", png_bomb))
    nothing_left()


def test_a_malformed_image_is_refused_by_the_single_add_view(client, editor, nothing_left):
    assert "not a real PNG" in form_errors(upload_single(client, "images", "notes.png", b"plain text\n" * 500))
    nothing_left()


def test_replacing_an_image_with_a_malformed_file_keeps_the_original(client, editor, media_root, upload_temp_dir):
    assert upload_multiple(client, "images", "logo.png", files.raster("PNG"))["success"]
    image = Image.objects.get()
    original = image.file.name
    originals_before = originals(media_root)
    response = client.post(
        f"/admin/images/{image.pk}/",
        {
            "title": "Logo",
            "file": SimpleUploadedFile("logo.png", files.truncated_png()),
            "collection": root_collection(),
        },
    )
    assert "damaged or incomplete" in form_errors(response)
    image.refresh_from_db()
    assert image.file.name == original
    assert originals(media_root) == originals_before == {original}
    assert list(upload_temp_dir.iterdir()) == []


def test_the_chooser_upload_checks_content_too(client, editor, nothing_left):
    response = client.post(
        "/admin/images/chooser/create/",
        {
            "image-chooser-upload-title": "Logo",
            "image-chooser-upload-file": SimpleUploadedFile("logo.png", files.SVG_WITH_SCRIPT),
            "image-chooser-upload-collection": root_collection(),
        },
    )
    assert response.status_code == 200
    assert "not a real PNG: its content is SVG" in response.content.decode()
    nothing_left()


@pytest.mark.parametrize(("name", "fmt"), [("logo.png", "PNG"), ("photo.jpg", "JPEG"), ("banner.webp", "WEBP")])
def test_a_real_image_is_accepted(client, editor, media_root, name, fmt):
    answer = upload_multiple(client, "images", name, files.raster(fmt))
    assert answer["success"] is True
    image = Image.objects.get()
    assert (image.width, image.height) == (64, 48)
    assert (Path(media_root) / image.file.name).is_file()
    assert image.file.name.startswith("original_images/")


def test_a_real_image_is_accepted_by_the_single_add_view_and_replaces_on_edit(client, editor):
    response = upload_single(client, "images", "logo.png", files.raster("PNG"))
    assert response.status_code == 302
    image = Image.objects.get()
    response = client.post(
        f"/admin/images/{image.pk}/",
        {
            "title": "Logo",
            "file": SimpleUploadedFile("logo.jpg", files.raster("JPEG", (30, 20))),
            "collection": root_collection(),
        },
    )
    assert response.status_code == 302
    image.refresh_from_db()
    assert (image.width, image.height) == (30, 20)


def test_pillow_refuses_a_bomb_later_too_when_a_rendition_is_made(settings, media_root):
    """The guard is process-wide: an image over the limit that reached storage some other
    way (here straight through the ORM) is not decoded when a rendition is asked for."""
    assert PillowImage.MAX_IMAGE_PIXELS == settings.WAGTAILIMAGES_MAX_IMAGE_PIXELS
    over_limit = files.png_bomb(10_000, 8_000)  # 80 million: between the limit and twice it
    with pytest.raises(PillowImage.DecompressionBombWarning):
        PillowImage.open(BytesIO(over_limit))
    stored = default_storage.save("original_images/bomb.png", ContentFile(over_limit))
    image = Image.objects.create(title="Bomb", width=10_000, height=8_000, file=stored)
    with pytest.raises(PillowImage.DecompressionBombWarning):
        image.get_rendition("fill-40x40")
    assert not image.renditions.exists()
    assert stored_files(media_root) == {stored}


# Documents ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("report.pdf", files.HTML_PAGE, "This file is not a real PDF: its content is HTML"),
        ("logo.svg", files.SVG_WITH_SCRIPT, "SVG and HTML files are not accepted"),
        (
            "plan.docx",
            b"Meeting notes, typed in a text editor.\n",
            "This file is not a real DOCX: its content is plain text.",
        ),
        ("plan.docx", files.zipped({"notes.txt": b"hi"}), "it lacks the “[Content_Types].xml” part"),
        (
            "bomb.zip",
            files.declared_size_bomb(),
            "This zip would unpack to 12.0\xa0GB, more than the 1.0\xa0GB allowed.",
        ),
        ("zeros.zip", files.ratio_bomb(), "it looks like a zip bomb"),
        ("evil.zip", files.path_traversal_zip(), "unsafe path (../../etc/cron.d/evil)"),
        ("captions.vtt", b"1\n00:00.000 --> 00:01.000\nHello\n", "it does not start with “WEBVTT”"),
        ("prices.csv", "Café,prix\n".encode("latin-1"), "This file is not UTF-8 text."),
        ("clip.mp4", files.raster("PNG"), "This file is not a real MP4: its content is a PNG image."),
    ],
    ids=[
        "html-as-pdf",
        "svg",
        "text-as-docx",
        "zip-as-docx",
        "size-bomb",
        "ratio-bomb",
        "traversal",
        "vtt",
        "csv",
        "mp4",
    ],
)
def test_a_malformed_document_is_refused_by_the_multiple_uploader(client, editor, nothing_left, name, content, message):
    answer = upload_multiple(client, "documents", name, content)
    assert answer["success"] is False
    assert message in answer["error_message"]
    nothing_left()


def test_a_malformed_document_is_refused_by_the_single_add_view(client, editor, nothing_left):
    assert "not a real PDF: its content is HTML" in form_errors(
        upload_single(client, "documents", "r.pdf", files.HTML_PAGE)
    )
    nothing_left()


def test_replacing_a_document_with_a_malformed_file_keeps_the_original(client, editor, media_root, upload_temp_dir):
    assert upload_multiple(client, "documents", "price-list.pdf", files.minimal_pdf())["success"]
    document = Document.objects.get()
    original = document.file.name
    before = stored_files(media_root)
    response = client.post(
        f"/admin/documents/edit/{document.pk}/",
        {
            "title": "Prices",
            "file": SimpleUploadedFile("price-list.pdf", files.HTML_PAGE),
            "collection": root_collection(),
        },
    )
    assert "not a real PDF" in form_errors(response)
    document.refresh_from_db()
    assert document.file.name == original
    assert stored_files(media_root) == before
    assert list(upload_temp_dir.iterdir()) == []


@pytest.mark.parametrize(
    ("name", "content"),
    [
        ("price-list.pdf", files.minimal_pdf()),
        ("plan.docx", files.docx()),
        ("plan.odt", files.odt()),
        ("archive.zip", files.zipped({"readme.txt": b"hello", "logo.png": files.raster("PNG")})),
        ("prices.csv", "نام,قیمت\nابر,۱۰۰\n".encode()),
        ("captions.vtt", b"WEBVTT\n\n00:00.000 --> 00:01.000\nHello\n"),
        ("notes.rtf", b"{\\rtf1\\ansi Hello}"),
    ],
    ids=["pdf", "docx", "odt", "zip", "csv", "vtt", "rtf"],
)
def test_a_real_document_is_accepted(client, editor, media_root, name, content):
    answer = upload_multiple(client, "documents", name, content)
    assert answer["success"] is True, answer
    document = Document.objects.get()
    assert document.file.name.startswith("documents/")
    assert (Path(media_root) / document.file.name).read_bytes() == content


# Size before read ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("path", "limit_setting"),
    [
        ("/admin/images/multiple/add/", "WAGTAILIMAGES_MAX_UPLOAD_SIZE"),
        ("/admin/images/add/", "WAGTAILIMAGES_MAX_UPLOAD_SIZE"),
        ("/admin/documents/multiple/add/", "WAGTAILDOCS_MAX_UPLOAD_SIZE"),
    ],
)
def test_an_upload_announced_over_the_limit_is_refused_from_its_content_length(
    client, editor, nothing_left, settings, path, limit_setting
):
    """The body is a few bytes; the Content-Length claims more than the limit, and the
    middleware answers 413 without reading it."""
    announced = getattr(settings, limit_setting) + 300 * 1024
    response = client.post(path, {"files[]": SimpleUploadedFile("a.png", b"x")}, CONTENT_LENGTH=str(announced))
    assert response.status_code == 413
    assert "Upload too large" in response.content.decode()
    nothing_left()


def test_the_image_and_document_paths_get_their_own_limit_and_the_rest_of_the_admin_keeps_its_own(settings):
    assert body_limit("/admin/images/multiple/add/") < settings.WAGTAILDOCS_MAX_UPLOAD_SIZE
    assert body_limit("/admin/images/add/") > settings.WAGTAILIMAGES_MAX_UPLOAD_SIZE
    assert body_limit("/admin/images/add/") <= settings.WAGTAILIMAGES_MAX_UPLOAD_SIZE + 256 * 1024
    assert body_limit("/admin/documents/add/") > settings.WAGTAILDOCS_MAX_UPLOAD_SIZE
    assert body_limit("/admin/pages/3/edit/") == settings.MAX_ADMIN_REQUEST_BYTES
    assert body_limit("/learn/") == settings.MAX_PORTAL_REQUEST_BYTES


def test_a_file_over_its_limit_in_a_body_within_the_limit_is_stopped_by_the_upload_handler(
    client, editor, nothing_left, settings
):
    """The body fits the image path's limit (file limit plus the form margin), the file
    does not: the handler stops reading at the limit and the editor gets the 413 page."""
    settings.WAGTAILIMAGES_MAX_UPLOAD_SIZE = 100 * 1024
    oversized = files.raster("PNG") + b"\x00" * (200 * 1024)
    response = client.post(
        "/admin/images/multiple/add/",
        {"files[]": SimpleUploadedFile("big.png", oversized), "collection": root_collection()},
    )
    assert response.status_code == 413
    assert "Upload too large" in response.content.decode()
    assert "100 KB" in response.content.decode()
    nothing_left()


def test_an_upload_whose_content_length_lied_is_stopped_by_the_upload_handler(editor, nothing_left, settings):
    """Behind an ASGI server the body is handed over whole, whatever Content-Length said:
    it claims 1 KB here and carries 512 KB. The handler stops the file at its limit, the
    middleware answers 413 and no view runs. (Without any Content-Length Django reads an
    empty body, so there is nothing to stop.)"""
    settings.WAGTAILDOCS_MAX_UPLOAD_SIZE = 64 * 1024
    boundary = "abrzadboundary"
    body = files.multipart_body(boundary, {"title": "Huge"}, {"files[]": ("huge.txt", b"a" * (512 * 1024))})
    scope = {
        "type": "http",
        "method": "POST",
        "path": "/admin/documents/multiple/add/",
        "query_string": b"",
        "headers": [
            (b"content-type", f"multipart/form-data; boundary={boundary}".encode()),
            (b"content-length", b"1024"),
        ],
    }
    request = ASGIRequest(scope, BytesIO(body))

    def view_must_not_run(request) -> HttpResponse:
        raise AssertionError("the view ran")

    response = RequestSizeLimitMiddleware(view_must_not_run)(request)
    assert response.status_code == 413
    assert "64 KB" in response.content.decode()
    request.close()
    nothing_left()


def test_an_upload_within_its_limit_passes_the_handler(settings):
    settings.WAGTAILDOCS_MAX_UPLOAD_SIZE = 64 * 1024
    boundary = "abrzadboundary"
    body = files.multipart_body(boundary, {}, {"files[]": ("small.txt", b"a" * (60 * 1024))})
    request = RequestFactory().post(
        "/admin/documents/multiple/add/", body, content_type=f"multipart/form-data; boundary={boundary}"
    )
    seen = {}

    def view(request) -> HttpResponse:
        seen["size"] = request.FILES["files[]"].size
        return HttpResponse("ok")

    assert RequestSizeLimitMiddleware(view)(request).status_code == 200
    assert seen["size"] == 60 * 1024
