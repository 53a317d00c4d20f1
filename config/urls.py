from django.conf import settings
from django.contrib import admin
from django.http import HttpRequest, HttpResponse
from django.urls import include, path


def healthz(request: HttpRequest) -> HttpResponse:
    """Liveness, and the benchmarks' ceiling: middleware and routing, no database, no template."""
    return HttpResponse("ok", content_type="text/plain")


urlpatterns = [
    path(settings.ADMIN_URL, admin.site.urls),
    path("healthz", healthz, name="healthz"),
    path("bench/noop", healthz, name="bench-noop"),
    path("", include("positions.urls")),
    path("", include("positions.urls_curation")),
    path("", include("positions.urls_shortlist")),
    path("", include("alerts.urls")),
]

# Postgres down or read-only: our 503 page with Retry-After instead of a bare 500.
handler500 = "positions.outage.server_error"
# Our styled 404 page (JSON under /api/), whatever DEBUG says.
handler404 = "positions.errors.not_found"
