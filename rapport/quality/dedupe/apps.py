from django.apps import AppConfig


class DedupeConfig(AppConfig):
    name = "rapport.quality.dedupe"
    label = "dedupe"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from rapport.access import crud
        from rapport.quality.dedupe import services

        crud.register_after_save(services.keys_update, record_types=services.RECORD_TYPES)
