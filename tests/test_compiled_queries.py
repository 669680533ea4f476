"""Querysets compiled once and run again with other values return what the queryset
itself returns, on both databases, and refuse what they cannot rebind."""

from __future__ import annotations

import uuid

import pytest
from django.db.models import F, QuerySet
from django.db.models.sql.compiler import SQLCompiler
from wagtail.models import Page

from lms import compiled_queries
from lms.compiled_queries import run_compiled
from lms.portal.models import HomePage

pytestmark = pytest.mark.django_db


def pages_keyed(*, key: uuid.UUID, depth: int) -> QuerySet[Page]:
    return Page.objects.filter(translation_key=key, depth=depth).annotate(key_again=F("translation_key")).order_by()


def titles_of(*, ids: list[int]) -> QuerySet:
    return Page.objects.filter(pk__in=ids).values_list("title", flat=True).order_by("title")


def test_model_rows_match_the_querysets_own_with_converted_annotations():
    root, home = Page.objects.get(depth=1), HomePage.objects.get(locale__language_code="en")

    for page in (home, root, home):  # the second and third calls reuse the SQL of the first
        values = {"key": page.translation_key, "depth": page.depth}
        compiled, plain = run_compiled(pages_keyed, **values), list(pages_keyed(**values))
        assert [row.pk for row in compiled] == [row.pk for row in plain]
        assert [(row.title, row.live, row.first_published_at, row.key_again) for row in compiled] == [
            (row.title, row.live, row.first_published_at, row.key_again) for row in plain
        ]
        assert all(isinstance(row.key_again, uuid.UUID) for row in compiled)
        assert compiled[0]._state.adding is False


def test_lists_are_bound_item_by_item_and_an_empty_one_asks_nothing(django_assert_num_queries):
    pages = list(Page.objects.order_by("pk"))
    ids = [page.pk for page in pages]

    assert run_compiled(titles_of, ids=ids[:2]) == list(titles_of(ids=ids[:2]))
    assert run_compiled(titles_of, ids=ids[-2:]) == list(titles_of(ids=ids[-2:]))
    assert run_compiled(titles_of, ids=ids) == sorted(page.title for page in pages)
    with django_assert_num_queries(0):
        assert run_compiled(titles_of, ids=[]) == []


def test_a_query_is_compiled_once_per_shape(monkeypatch):
    home = HomePage.objects.get(locale__language_code="en")
    compilations = []
    original = SQLCompiler.as_sql

    def counting(self, *args, **kwargs):
        compilations.append(self.query.model)
        return original(self, *args, **kwargs)

    monkeypatch.setattr(SQLCompiler, "as_sql", counting)
    monkeypatch.setattr(compiled_queries, "_COMPILED", {})  # as in a new process
    for _ in range(3):
        rows = run_compiled(pages_keyed, key=home.translation_key, depth=home.depth)
        assert [row.pk for row in rows] == [home.pk]
    assert len(compilations) == 1


def test_values_the_lookup_rewrites_and_joined_rows_are_refused():
    with pytest.raises(ValueError, match="cannot find the values"):
        run_compiled(lambda *, text: Page.objects.filter(title__contains=text), text="Home")
    with pytest.raises(ValueError, match="no select_related"):
        run_compiled(lambda *, depth: Page.objects.select_related("locale").filter(depth=depth), depth=2)
    with pytest.raises(TypeError):
        run_compiled(lambda *, live: Page.objects.filter(live=live), live=True)
