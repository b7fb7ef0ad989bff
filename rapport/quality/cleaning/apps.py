from django.apps import AppConfig

# The record types whose writes are normalised (e-mails, phones, names, companies, countries and
# whitespace in every text field).
NORMALISED_TYPES = ("account", "contact", "lead", "opportunity", "activity", "order", "product")


class CleaningConfig(AppConfig):
    name = "rapport.quality.cleaning"
    label = "cleaning"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from rapport.access import crud
        from rapport.web.records import register_help_text_source

        from .normalize import normalize_record
        from .services import definitions_for

        crud.register_normalizer(normalize_record, record_types=NORMALISED_TYPES)
        register_help_text_source(definitions_for)
