from django.apps import AppConfig


class DedupeConfig(AppConfig):
    name = "rapport.quality.dedupe"
    label = "dedupe"
    default_auto_field = "django.db.models.BigAutoField"
