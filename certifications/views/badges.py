"""Placeholder, being written."""

from django.http import Http404


def issuer(request):
    raise Http404


def badge_class(request, slug):
    raise Http404


def badge_image(request, slug):
    raise Http404


def assertion(request, code):
    raise Http404
