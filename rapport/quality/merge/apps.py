from django.apps import AppConfig


class MergeConfig(AppConfig):
    name = "rapport.quality.merge"
    label = "merge"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from rapport.quality.merge import relations

        relations.register()
