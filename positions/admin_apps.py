"""The admin app, with our site class (kept out of positions/apps.py: one AppConfig there)."""

from django.contrib.admin.apps import AdminConfig


class PhdAdminConfig(AdminConfig):
    default_site = "positions.admin_site.PhdAdminSite"
