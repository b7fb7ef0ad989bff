from django.apps import AppConfig


class ScoresConfig(AppConfig):
    name = "rapport.quality.scores"
    label = "scores"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from rapport.access import crud
        from rapport.quality.scores import scoring, services

        # Keep the one record's score in step with each write (same transaction).
        crud.register_after_save(services.score_refresh_one, record_types=scoring.SCORED_TYPES)
