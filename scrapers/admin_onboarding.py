"""The admin's "Add a source from a URL": paste a vacancies URL, see the detected platform,
adapter and options and a preview of what would be scraped, then create the Source in one
click. Nothing is written before that click; every failure (a private address, a page that
cannot be fetched, a page with nothing on it) is said on the page, never a 500."""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import reverse

from positions.admin_base import https_formfield

from .doctoral import looks_like_job
from .models import Source
from .onboarding import suggest_source
from .preview import SourcePreview, source_preview
from .validators import validate_public_url

if TYPE_CHECKING:
    from django.contrib.admin import ModelAdmin

TEMPLATE = "admin/scrapers/source/add_from_url.html"


class SourceFromUrlForm(forms.ModelForm[Source]):
    """The fields a pasted URL fills in; the rest keep their defaults (schedule, politeness)."""

    class Meta:
        model = Source
        formfield_callback = https_formfield
        fields = ("name", "start_url", "adapter", "options", "enabled", "auto_publish")
        widgets = {
            "name": forms.TextInput(attrs={"size": 80}),
            "start_url": forms.URLInput(attrs={"size": 100}),
            "options": forms.Textarea(attrs={"rows": 3, "cols": 80}),
        }

    def clean_start_url(self) -> str:
        url: str = self.cleaned_data["start_url"]
        validate_public_url(url)
        return url

    def clean_options(self) -> dict[str, Any]:
        value = self.cleaned_data.get("options")
        if value in (None, ""):
            return {}
        if not isinstance(value, dict):
            raise forms.ValidationError("The options must be a JSON object, e.g. {}.")
        return value


def add_from_url_view(model_admin: ModelAdmin[Source], request: HttpRequest) -> HttpResponse:
    if not model_admin.has_add_permission(request):
        raise PermissionDenied
    data = request.POST if request.method == "POST" else request.GET
    url = (data.get("url") or "").strip()
    action = data.get("action") or ("detect" if url else "")
    context: dict[str, Any] = {"url": url, "suggestion": None, "preview": None, "form": None}
    if action == "detect" and url:
        context.update(_detect(url))
    elif action in ("preview", "create") and request.method == "POST":
        form = SourceFromUrlForm(request.POST)
        if action == "create" and form.is_valid():
            return _create(model_admin, request, form)
        context["form"] = form
        if action == "preview":
            context["preview"] = _preview_of(form)
    context.update(
        {
            **model_admin.admin_site.each_context(request),
            "title": "Add a source from a URL",
            "opts": Source._meta,
        }
    )
    return TemplateResponse(request, TEMPLATE, context)


def _detect(url: str) -> dict[str, Any]:
    suggestion = suggest_source(url)
    form = None
    preview = None
    if suggestion.usable:
        form = SourceFromUrlForm(
            initial={
                "name": suggestion.name[:200],
                "start_url": suggestion.start_url,
                "adapter": suggestion.adapter,
                "options": suggestion.options,
                "enabled": False,
                "auto_publish": Source._meta.get_field("auto_publish").default,
            }
        )
    if suggestion.usable and suggestion.fetched:
        preview = source_preview(
            start_url=suggestion.start_url,
            adapter=suggestion.adapter,
            options=suggestion.options,
            first_page=suggestion.page,
        )
        _say_if_empty(preview)
    return {"suggestion": suggestion, "form": form, "preview": preview}


def _preview_of(form: SourceFromUrlForm) -> SourcePreview:
    """The preview of the values the admin edited (the form's errors are shown beside it)."""
    start_url = (form.data.get("start_url") or "").strip()
    adapter = (form.data.get("adapter") or "").strip()
    try:
        options = json.loads(form.data.get("options") or "{}")
    except ValueError as error:
        return SourcePreview(errors=[f"The options are not valid JSON: {error}"])
    if not isinstance(options, dict):
        return SourcePreview(errors=["The options must be a JSON object."])
    if not start_url or not adapter:
        return SourcePreview(errors=["A start URL and an adapter are needed for a preview."])
    preview = source_preview(start_url=start_url, adapter=adapter, options=options)
    _say_if_empty(preview)
    return preview


def _say_if_empty(preview: SourcePreview) -> None:
    """A page with no advert link and no record that reads as a position (an "About us"
    page read as one advert names no post and has no deadline) is said to give nothing."""
    if preview.advert_links or not preview.pages:
        return
    positions = [
        record
        for record in preview.records
        if record.data.get("deadline") or looks_like_job(str(record.data.get("title") or ""))
    ]
    if not positions:
        preview.errors.append(
            "Nothing found: the page gave no advert and no list of adverts with this adapter"
            + (
                f" (its {len(preview.records)} record(s) name no position)"
                if preview.records
                else ""
            )
            + ". Check that the address is the page listing the vacancies, or choose another "
            "adapter and preview again."
        )


def _create(
    model_admin: ModelAdmin[Source], request: HttpRequest, form: SourceFromUrlForm
) -> HttpResponse:
    source = form.save()
    model_admin.log_addition(request, source, [{"added": {}}])
    state = "enabled: it is scraped on its schedule" if source.enabled else "disabled"
    model_admin.message_user(
        request,
        f"Created the source “{source.name}” ({source.adapter}), {state}.",
        messages.SUCCESS,
    )
    return HttpResponseRedirect(reverse("admin:scrapers_source_change", args=[source.pk]))
