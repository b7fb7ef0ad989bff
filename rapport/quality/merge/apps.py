from django.apps import AppConfig


class MergeConfig(AppConfig):
    name = "rapport.quality.merge"
    label = "merge"
    default_auto_field = "django.db.models.BigAutoField"
