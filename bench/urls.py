"""Bench URL space: the application's URLs plus the minimal view that is the throughput ceiling."""

from django.contrib.auth.decorators import login_not_required
from django.http import HttpResponse
from django.urls import include, path


@login_not_required
def ceiling(request):
    """The least a Django view can do behind the same middleware: the reference ceiling."""
    return HttpResponse(b"ok", content_type="text/plain")


urlpatterns = [
    path("bench/ceiling/", ceiling, name="bench_ceiling"),
    path("", include("kvu.urls")),
]
