import pytest

pytestmark = pytest.mark.django_db


def test_home_page_renders_in_english_left_to_right(client):
    response = client.get("/")
    assert response.status_code == 200
    assert b'<html lang="en" dir="ltr">' in response.content


def test_home_page_renders_in_persian_right_to_left_under_fa_prefix(client):
    response = client.get("/fa/")
    assert response.status_code == 200
    assert b'<html lang="fa" dir="rtl">' in response.content
