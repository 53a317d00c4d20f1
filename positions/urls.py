from django.contrib.sitemaps import views as sitemap_views
from django.urls import path

from . import feeds, health, views
from .api import api
from .sitemaps import SITEMAPS

urlpatterns = [
    # Readiness for load balancers and compose (liveness, /healthz, is in config/urls.py).
    path("readyz", health.readyz, name="readyz"),
    path("", views.search, name="position_search"),
    path("positions/<int:position_id>/", views.detail, name="position_detail"),
    path(
        "positions/<int:position_id>/deadline.ics",
        views.deadline_calendar,
        name="position_calendar",
    ),
    path("feeds/positions.atom", feeds.positions_atom, name="feed_positions_atom"),
    path("feeds/deadlines.ics", feeds.deadlines_ics, name="feed_deadlines_ics"),
    path("api/", api.urls),
    path(
        "sitemap.xml",
        sitemap_views.index,
        {"sitemaps": SITEMAPS, "sitemap_url_name": "sitemap_section"},
        name="sitemap",
    ),
    path(
        "sitemap-<section>.xml",
        sitemap_views.sitemap,
        {"sitemaps": SITEMAPS},
        name="sitemap_section",
    ),
    path("robots.txt", views.robots_txt, name="robots_txt"),
]
