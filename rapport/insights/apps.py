from django.apps import AppConfig


class InsightsConfig(AppConfig):
    name = "rapport.insights"
    label = "insights"
    default_auto_field = "django.db.models.BigAutoField"
    verbose_name = "Insights"
