"""The admin site: Django's, with a dashboard for a home page (admin_dashboard.py), the
curation models first and the plumbing grouped under "System" for superusers only, and
two-factor login (TOTP, django-otp; the login view is admin_login.py).

A staff member who registered an authenticator must give its code at login; with
settings.OTP_REQUIRED_FOR_STAFF every staff member must (register the first device with
`manage.py totp_device <username>`, later ones on the admin's "Two-factor" page).
"""

from __future__ import annotations

import io
from typing import Any

from django import forms
from django.conf import settings
from django.contrib import admin, messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.safestring import mark_safe
from django_otp import login as otp_login
from django_otp.plugins.otp_totp.models import TOTPDevice
from django_otp.qr import write_qrcode_image

from .admin_dashboard import dashboard_context
from .admin_login import admin_login, two_factor_required

# The plumbing: grouped under "System" at the foot of the index, for superusers only.
SYSTEM_APPS = ("auth", "axes", "otp_totp", "django_celery_beat")
# The curation models first, in the order a careers office uses them.
APP_ORDER = ("positions", "scrapers", "alerts")
MODEL_ORDER = (
    "ReviewQueuePosition",
    "Position",
    "DuplicateCandidate",
    "Report",
    "Source",
    "ScrapeRun",
)


class SuperuserOnly:
    """Mixed into the ModelAdmins of SYSTEM_APPS: only superusers see or change them."""

    def has_module_permission(self, request: HttpRequest) -> bool:
        return bool(request.user.is_active and request.user.is_superuser)

    def has_view_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return self.has_module_permission(request)

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return self.has_module_permission(request) and super().has_change_permission(  # type: ignore[misc]
            request, obj
        )

    def has_add_permission(self, request: HttpRequest, *args: Any) -> bool:
        return self.has_module_permission(request) and super().has_add_permission(request, *args)  # type: ignore[misc]

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return self.has_module_permission(request) and super().has_delete_permission(  # type: ignore[misc]
            request, obj
        )


def _model_rank(model: dict[str, Any]) -> tuple[int, str]:
    name = model["object_name"]
    return (MODEL_ORDER.index(name) if name in MODEL_ORDER else len(MODEL_ORDER), model["name"])


class PhdAdminSite(admin.AdminSite):
    site_header = "PhD positions: curation"
    site_title = "PhD positions admin"
    index_title = "Today"
    index_template = "admin/dashboard.html"

    def register(self, model_or_iterable: Any, admin_class: Any = None, **options: Any) -> None:
        models = (
            model_or_iterable
            if isinstance(model_or_iterable, list | tuple)
            else [model_or_iterable]
        )
        if models and models[0]._meta.app_label in SYSTEM_APPS:
            base = admin_class or admin.ModelAdmin
            admin_class = type(f"SuperuserOnly{base.__name__}", (SuperuserOnly, base), {})
        super().register(model_or_iterable, admin_class, **options)

    def get_app_list(self, request: HttpRequest, app_label: str | None = None) -> list[Any]:
        app_dict = self._build_app_dict(request, app_label)
        curation = [app_dict.pop(label) for label in APP_ORDER if label in app_dict]
        system = [app_dict.pop(label) for label in SYSTEM_APPS if label in app_dict]
        rest = sorted(app_dict.values(), key=lambda app: app["name"].lower())
        for app in [*curation, *rest, *system]:
            app["models"].sort(key=_model_rank)
        if app_label is not None or not system:
            return [*curation, *rest, *system]
        grouped = {
            "name": "System",
            "app_label": "system",
            "app_url": "#system",
            "has_module_perms": True,
            "models": [
                {**model, "name": f"{model['name']} ({app['name']})"}
                if app["app_label"] != "auth"
                else model
                for app in system
                for model in app["models"]
            ],
        }
        return [*curation, *rest, grouped]

    def index(self, request: HttpRequest, extra_context: dict[str, Any] | None = None) -> Any:
        return super().index(request, {**dashboard_context(request), **(extra_context or {})})

    def login(self, request: HttpRequest, extra_context: dict[str, Any] | None = None) -> Any:
        return admin_login(request, self)

    def has_permission(self, request: HttpRequest) -> bool:
        if not super().has_permission(request):
            return False
        if two_factor_required(request.user):
            return bool(getattr(request.user, "is_verified", lambda: False)())
        return True

    def get_urls(self) -> list[Any]:
        return [
            path("two-factor/", self.admin_view(self.two_factor_view), name="two_factor"),
            *super().get_urls(),
        ]

    def _pending_device(self, request: HttpRequest) -> TOTPDevice:
        device = TOTPDevice.objects.filter(user=request.user, confirmed=False).first()
        if device is None:
            device = TOTPDevice.objects.create(
                user=request.user, name="authenticator", confirmed=False
            )
        return device

    def two_factor_view(self, request: HttpRequest) -> HttpResponse:
        """Register an authenticator app: scan the QR code, type a code to confirm."""
        device = self._pending_device(request)
        form = TokenForm(request.POST or None)
        if request.method == "POST" and form.is_valid():
            if device.verify_token(form.cleaned_data["token"]):
                device.confirmed = True
                device.save(update_fields=["confirmed"])
                otp_login(request, device)
                messages.success(request, "Two-factor login is on for your account.")
                return redirect(reverse("admin:index"))
            form.add_error("token", "That code is not right; check the phone's clock and retry.")
        buffer = io.BytesIO()
        write_qrcode_image(device.config_url, buffer)
        context = {
            **self.each_context(request),
            "title": "Two-factor login",
            "form": form,
            "qrcode_svg": mark_safe(buffer.getvalue().decode()),  # noqa: S308 - our own SVG
            "secret_uri": device.config_url,
            "confirmed_devices": TOTPDevice.objects.filter(user=request.user, confirmed=True),
            "required": settings.OTP_REQUIRED_FOR_STAFF,
        }
        return TemplateResponse(request, "admin/two_factor.html", context)


class TokenForm(forms.Form):
    token = forms.CharField(
        label="Code from the app",
        max_length=8,
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "inputmode": "numeric"}),
    )
