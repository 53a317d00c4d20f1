"""The public "report an outdated or wrong position" form: no account, rate-limited."""

from __future__ import annotations

from django import forms
from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods

from .curation import client_hash, report_create
from .models import Position, Report
from .security import client_ip

RATE_WINDOW_SECONDS = 3600


class ReportForm(forms.Form):
    reason = forms.ChoiceField(choices=Report.Reason.choices, widget=forms.RadioSelect)
    message = forms.CharField(
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 4}),
        label="What is wrong? (optional)",
    )
    # A field people never see (hidden by CSS) but form-filling bots do fill in.
    website = forms.CharField(required=False, label="Leave this empty", max_length=200)


def _rate_key(address: str) -> str:
    return f"report-rate:{client_hash(address)}"


def _over_limit(address: str) -> bool:
    return (cache.get(_rate_key(address)) or 0) >= settings.REPORTS_PER_HOUR


def _count(address: str) -> None:
    key = _rate_key(address)
    # add() starts the window; incr() keeps it (Redis INCR leaves the expiry alone).
    cache.add(key, 0, RATE_WINDOW_SECONDS)
    try:
        cache.incr(key)
    except ValueError:  # expired between the two calls
        cache.set(key, 1, RATE_WINDOW_SECONDS)


@require_http_methods(["GET", "POST"])
def position_report(request: HttpRequest, pk: int) -> HttpResponse:
    position = get_object_or_404(Position.objects.published(), pk=pk)
    context: dict[str, object] = {"position": position, "sent": request.GET.get("sent") == "1"}
    if request.method == "POST":
        address = client_ip(request) or "unknown"
        if _over_limit(address):
            context["form"] = ReportForm()
            context["limited"] = True
            return render(request, "positions/report.html", context, status=429)
        form = ReportForm(request.POST)
        if form.is_valid():
            _count(address)
            if not form.cleaned_data["website"]:
                report_create(
                    position=position,
                    reason=form.cleaned_data["reason"],
                    message=form.cleaned_data["message"],
                    client_address=address,
                )
            # A bot that filled the trap sees the same thanks and learns nothing.
            return redirect(reverse("position_report", args=[position.pk]) + "?sent=1")
        context["form"] = form
        return render(request, "positions/report.html", context, status=400)
    context["form"] = ReportForm()
    return render(request, "positions/report.html", context)
