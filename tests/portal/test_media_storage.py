"""Renditions are stored under names nobody can work out from the original's name."""

from __future__ import annotations

import re
from io import BytesIO

import pytest
from django.core.files.images import ImageFile
from PIL import Image as PillowImage
from wagtail.images import get_image_model

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


def test_a_renditions_name_carries_a_random_part_and_it_is_still_served_from_its_url(client, settings):
    buffer = BytesIO()
    PillowImage.new("RGB", (64, 48), "#0b5f73").save(buffer, format="PNG")
    image = get_image_model().objects.create(title="Logo", file=ImageFile(BytesIO(buffer.getvalue()), name="logo.png"))
    first = image.get_rendition("max-32x32|format-webp")
    assert first.file.name.startswith("images/logo.max-32x32.format-webp.")
    assert re.fullmatch(r"images/logo\.max-32x32\.format-webp\.[-\w]{12}\.webp", first.file.name)
    assert first.url == f"{settings.MEDIA_URL}{first.file.name}"
    assert (settings.MEDIA_ROOT / first.file.name).is_file()
    image.renditions.all().delete()
    again = image.get_rendition("max-32x32|format-webp")
    assert again.file.name != first.file.name  # a new random part each time one is drawn
