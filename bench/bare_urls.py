"""The real site's addresses, and `/__bare__/?bytes=N`: a static page of N bytes through the same middleware."""

import functools

from django.http import HttpResponse
from django.urls import path

from newsroom.urls import urlpatterns as site_urlpatterns


@functools.lru_cache(maxsize=8)
def _page(size):
    filler = "<p>" + "Static text of the benchmark's bare page. " * (size // 42 + 1) + "</p>"
    return f"<!doctype html><html lang=en><title>Bare</title>{filler}</html>".encode()[:size]


def bare(request):
    size = min(int(request.GET.get("bytes", "20000")), 10**6)
    return HttpResponse(_page(size), content_type="text/html; charset=utf-8")


urlpatterns = [path("__bare__/", bare), *site_urlpatterns]
