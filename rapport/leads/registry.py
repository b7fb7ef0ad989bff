"""What the leads app registers with the shared engines at start-up."""

from __future__ import annotations

from rapport.core import records


def register() -> None:
    from rapport.leads.models import Lead, QualificationQuestion, WebForm

    records.register(
        records.RecordType(
            key="lead",
            model=Lead,
            label="Lead",
            label_plural="Leads",
            owner_path="owner",
            secured_fields=("email", "phone", "description", "external_id"),
            url_name="leads:lead-detail",
            default_access={
                "sales_rep": "cred:own",
                "sales_manager": "cred:subordinates",
                "marketing": "cred:all",
                "executive": "r:all",
                "service_manager": "r:all",
                "data_steward": "re:all",
            },
            app_label="leads",
        )
    )
    records.register(
        records.RecordType(
            key="qualification_question",
            model=QualificationQuestion,
            label="Qualification question",
            label_plural="Qualification questions",
            deletable=False,
            url_name="leads:question-edit",
            default_access={"*": "r:all"},
            app_label="leads",
        )
    )
    records.register(
        records.RecordType(
            key="web_form",
            model=WebForm,
            label="Web form",
            label_plural="Web forms",
            owner_path="owner",
            deletable=False,
            url_name="leads:web-form-edit",
            default_access={"marketing": "cre:all", "sales_manager": "r:all", "executive": "r:all"},
            app_label="leads",
        )
    )
    _register_hooks()


def _register_hooks() -> None:
    """A call logged on a lead touches the lead (its last_touched_at)."""
    from rapport.activities.hooks import register_activity_logged
    from rapport.leads.services import lead_touch_from_activity

    register_activity_logged(lead_touch_from_activity)
