"""Root URLs: the learner site, the admin and the API."""

from django.contrib import admin
from django.contrib.sitemaps import views as sitemaps
from django.urls import include, path, re_path

from learner.sitemaps import SITEMAPS
from operations.views import healthz, media

admin.site.site_header = "History lessons: editing"
admin.site.site_title = "History lessons"
admin.site.index_title = "Sources and lessons"

urlpatterns = [
    path("healthz", healthz, name="healthz"),
    re_path(r"^media/(?P<path>.+)$", media, name="media"),  # only when SERVE_MEDIA is on
    path("admin/", admin.site.urls),
    path("api/v1/", include("config.api_urls")),
    path("", include("learner.urls")),
    path("", include("search.urls")),
    # An index of files of at most 50,000 addresses each (learner/sitemaps.py).
    path(
        "sitemap.xml",
        sitemaps.index,
        {"sitemaps": SITEMAPS, "sitemap_url_name": "sitemap-section"},
        name="sitemap",
    ),
    path(
        "sitemap-<slug:section>.xml",
        sitemaps.sitemap,
        {"sitemaps": SITEMAPS},
        name="sitemap-section",
    ),
]

# Problem details (application/problem+json) under /api/, the site's pages elsewhere.
handler400 = "config.api.bad_request"
handler403 = "config.api.permission_denied"
handler404 = "config.api.not_found"
handler500 = "operations.errors.server_error"  # 503 + Retry-After when the database is down
