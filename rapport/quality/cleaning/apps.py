from django.apps import AppConfig


class CleaningConfig(AppConfig):
    name = "rapport.quality.cleaning"
    label = "cleaning"
    default_auto_field = "django.db.models.BigAutoField"
