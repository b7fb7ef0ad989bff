from django.apps import AppConfig


class AccessConfig(AppConfig):
    name = "rapport.access"
    label = "access"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        # Registered here, not imported by core: core sits below access (see ARCHITECTURE.md).
        from rapport.access.search import search_teams, search_users
        from rapport.core.search import register

        register("user", search_users)
        register("team", search_teams)
