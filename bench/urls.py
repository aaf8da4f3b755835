"""The project's URLs and the floor they are measured against: a bare Django view returning a
JsonResponse of a given size (no database, no middleware of its own)."""

from django.http import JsonResponse
from django.urls import path

from config.urls import urlpatterns as project


def bare(request, size: int):
    """A JSON document of about ``size`` bytes, as cheaply as Django can send one."""
    return JsonResponse({"data": "x" * max(0, size - 12)})


urlpatterns = [path("bench/bare/<int:size>/", bare), *project]
