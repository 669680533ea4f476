"""Placeholder, being written."""

from django.http import Http404


def credentials_export(request, slug):
    raise Http404
