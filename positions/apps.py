from django.apps import AppConfig
from django.db.models.signals import post_migrate


def _setup_roles(sender: AppConfig, **kwargs: object) -> None:
    from .curation import roles_setup

    roles_setup()


class PositionsConfig(AppConfig):
    name = "positions"
    verbose_name = "Positions"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        # The curator group exists on every database, created idempotently after migrate.
        post_migrate.connect(_setup_roles, sender=self, dispatch_uid="positions_setup_roles")
        # The login throttle's start-up checks register on import. The review queue's
        # admin subclasses PositionAdmin (positions/admin.py, which autodiscover imports
        # first) and cannot be imported from there without a cycle.
        from . import admin_review, checks  # noqa: F401
