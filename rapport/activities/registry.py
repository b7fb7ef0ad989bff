"""What the activities app registers with the shared engines at start-up."""

from __future__ import annotations

from rapport.core import records


def register() -> None:
    from rapport.activities.models import Activity

    records.register(
        records.RecordType(
            key="activity",
            model=Activity,
            label="Activity",
            label_plural="Activities",
            owner_path="owner",
            secured_fields=("notes", "external_id"),
            url_name="activities:activity-detail",
            default_access={
                "sales_rep": "cred:own",
                "sales_manager": "cred:subordinates",
                "service_agent": "cred:own",
                "service_manager": "cred:subordinates",
                "marketing": "cre:own",
                "executive": "r:all",
                "data_steward": "r:all",
            },
            app_label="activities",
        )
    )

    from rapport.activities.timeline import activities_provider, register_provider

    register_provider("activities", activities_provider)
