"""Placeholder, being written."""

from django.http import Http404


def lookup(request):
    raise Http404


def verify(request, code):
    raise Http404


def certificate_pdf(request, code):
    raise Http404
