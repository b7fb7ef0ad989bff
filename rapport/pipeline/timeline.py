"""The pipeline's entries on timelines: an account's and a contact's deals, and a deal's own
stage changes. Registered with rapport.activities.timeline at start-up (see registry.py)."""

from __future__ import annotations

from typing import Any

from django.db.models import Model
from django.urls import reverse

from rapport.access import permissions
from rapport.activities.timeline import TimelineEntry, register_provider
from rapport.pipeline.models import Opportunity, Stage, StageChange

TONES: dict[str, str] = {
    Stage.Kind.OPEN: "blue",
    Stage.Kind.WON: "green",
    Stage.Kind.LOST: "red",
}


def opportunities_provider(
    *, viewer: Any, subject_type: str, subject: Model, limit: int
) -> list[TimelineEntry]:
    """An account's or a contact's deals the viewer may see, newest first (one query)."""
    if subject_type == "account":
        deals = Opportunity.objects.filter(account_id=subject.pk)
    elif subject_type == "contact":
        deals = Opportunity.objects.filter(contact_id=subject.pk)
    else:
        return []
    deals = permissions.scope_queryset(viewer, "opportunity", deals)
    amount_visible = "amount" not in permissions.policy_for(viewer, "opportunity").hidden_fields
    entries = []
    for deal in deals.select_related("stage", "currency", "owner").order_by("-created_at", "-id")[
        :limit
    ]:
        parts = ["Opportunity", f"owner {deal.owner.get_full_name()}"]
        if amount_visible and deal.amount is not None:
            parts.append(f"{deal.amount:,.0f} {deal.currency.key}")
        if deal.forecast_close_date and deal.closed_at is None:
            parts.append(f"closing {deal.forecast_close_date:%-d %b %Y}")
        entries.append(
            TimelineEntry(
                at=deal.closed_at or deal.created_at,
                kind="opportunity",
                icon="currency-euro",
                title=deal.name,
                subtitle=" · ".join(parts),
                url=reverse("pipeline:opportunity-detail", args=[deal.pk]),
                badge=deal.stage.name,
                badge_tone=TONES.get(deal.stage.kind, "gray"),
            )
        )
    return entries


def stage_changes_provider(
    *, viewer: Any, subject_type: str, subject: Model, limit: int
) -> list[TimelineEntry]:
    """A deal's moves from stage to stage (the page has checked the viewer may read it)."""
    if subject_type != "opportunity":
        return []
    changes = (
        StageChange.objects.filter(opportunity_id=subject.pk)
        .select_related("from_stage", "to_stage", "changed_by")
        .order_by("-changed_at", "-id")[:limit]
    )
    entries = []
    for change in changes:
        title = (
            f"Moved to {change.to_stage.name}"
            if change.from_stage is not None
            else f"Created at {change.to_stage.name}"
        )
        by = f"by {change.changed_by.get_full_name()}" if change.changed_by else "by Rapport"
        entries.append(
            TimelineEntry(
                at=change.changed_at,
                kind="stage-change",
                icon="arrow-right-circle",
                title=title,
                subtitle=f"Stage change · {by}",
                badge=change.to_stage.customer_label,
                badge_tone=TONES.get(change.to_stage.kind, "gray"),
            )
        )
    return entries


def register() -> None:
    register_provider("opportunities", opportunities_provider)
    register_provider("stage_changes", stage_changes_provider)
