from django.apps import AppConfig


class PipelineConfig(AppConfig):
    name = "rapport.pipeline"
    label = "pipeline"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from rapport.pipeline import registry

        registry.register()
