from django.apps import AppConfig


class InsightsConfig(AppConfig):
    name = "rapport.insights"
    label = "insights"
    default_auto_field = "django.db.models.BigAutoField"
    verbose_name = "Insights"

    def ready(self) -> None:
        # Access sits below insights: it tells registered listeners about sign-ins.
        from rapport.access import sign_in_events
        from rapport.insights.services import usage_sign_in_listener

        sign_in_events.register(usage_sign_in_listener)
