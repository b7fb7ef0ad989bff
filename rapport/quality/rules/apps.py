from django.apps import AppConfig


class RulesConfig(AppConfig):
    name = "rapport.quality.rules"
    label = "rules"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from rapport.access import crud
        from rapport.quality.rules.services import enforce_rules

        # One validator for every record type: it looks up the type's active rules itself.
        crud.register_validator(enforce_rules)
