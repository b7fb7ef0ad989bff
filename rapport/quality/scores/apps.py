from django.apps import AppConfig


class ScoresConfig(AppConfig):
    name = "rapport.quality.scores"
    label = "scores"
    default_auto_field = "django.db.models.BigAutoField"
