from django.apps import AppConfig


class PositionsConfig(AppConfig):
    name = "positions"
    verbose_name = "Positions"
    default_auto_field = "django.db.models.BigAutoField"
