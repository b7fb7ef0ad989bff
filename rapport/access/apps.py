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

        from rapport.access import permissions
        from rapport.access.models import Office, Role, Team, User
        from rapport.core import audit, records

        # History shows only records the viewer may read, without the fields hidden from them.
        audit.register_hidden_fields(permissions.hidden_fields_of)
        audit.register_can_read(permissions.can_read_record)

        records.register(
            records.RecordType(
                key="user",
                model=User,
                label="User",
                label_plural="Users",
                owner_path="",
                secured_fields=("email", "title", "phone", "location", "grade", "external_id"),
                deletable=False,
                url_name="access:person",
            )
        )
        records.register(
            records.RecordType(
                key="team",
                model=Team,
                label="Team",
                label_plural="Teams",
                owner_path="lead",
                secured_fields=("description", "external_id"),
                url_name="access:admin-team-edit",
            )
        )
        records.register(
            records.RecordType(
                key="office",
                model=Office,
                label="Office",
                label_plural="Offices",
                secured_fields=("city", "timezone", "external_id"),
                url_name="access:admin-office-edit",
            )
        )
        records.register(
            records.RecordType(
                key="role",
                model=Role,
                label="Role",
                label_plural="Roles",
                secured_fields=("description", "external_id"),
                url_name="access:admin-role-edit",
            )
        )
