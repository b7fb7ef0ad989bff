from django.apps import AppConfig


class LeadsConfig(AppConfig):
    name = "rapport.leads"
    label = "leads"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from rapport.leads import registry

        registry.register()
