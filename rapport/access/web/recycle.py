"""Deleting teams, offices and roles from their administration pages: a confirmation that says
what happens, then the record goes to the recycle bin (rapport.core.recycle)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import get_object_or_404, redirect, render

from rapport.access import permissions, services
from rapport.access.models import Office, Role, Team, User


@dataclass(frozen=True)
class _Kind:
    model: type[Any]
    noun: str
    list_url_name: str


_KINDS = {
    "team": _Kind(Team, "team", "access:admin-teams"),
    "office": _Kind(Office, "office", "access:admin-offices"),
    "role": _Kind(Role, "role", "access:admin-roles"),
}


def _consequences(kind: str, record: Any) -> tuple[list[str], str | None]:
    """What deleting the record means, and why it cannot be deleted (None if it can)."""
    if kind == "team":
        members = User.objects.filter(team=record).count()
        return [
            f"Its {members} member{'s' if members != 1 else ''} stay in it while it is in the "
            "recycle bin, so a restore brings the team back whole.",
            "It disappears from lists, filters and search at once.",
        ], None
    if kind == "office":
        people = User.objects.filter(office=record).count()
        teams = Team.objects.filter(office=record).count()
        return [
            f"{people} {'person works' if people == 1 else 'people work'} from it and {teams} "
            f"team{'s are' if teams != 1 else ' is'} based there; they keep it until it is "
            "purged.",
            "It disappears from lists and filters at once.",
        ], None
    holders = User.objects.filter(role=record).count()
    if holders:
        return [], (
            f"{holders} {'person has' if holders == 1 else 'people have'} this role: give them "
            "another role first."
        )
    return ["Nobody has this role; it disappears from the role lists at once."], None


@login_required
def admin_record_delete(request: HttpRequest, kind: str, pk: int) -> HttpResponseBase:
    admin = request.user
    if not isinstance(admin, User) or not admin.is_administrator:
        raise PermissionDenied("Only administrators can manage the organisation.")
    spec = _KINDS[kind]
    record = get_object_or_404(spec.model, pk=pk)
    permissions.check(admin, "delete", kind, record)
    consequences, refusal = _consequences(kind, record)
    if request.method == "POST" and refusal is None:
        deleted: Any
        if kind == "team":
            deleted = services.team_delete(acting_user=admin, team=record)
        elif kind == "office":
            deleted = services.office_delete(acting_user=admin, office=record)
        else:
            try:
                deleted = services.role_delete(acting_user=admin, role=record)
            except services.RoleInUseError as error:
                messages.error(request, str(error))
                return redirect(spec.list_url_name)
        messages.success(
            request,
            f"{spec.noun.capitalize()} “{deleted}” moved to the recycle bin; an administrator "
            f"can restore it for {settings.RAPPORT_RECYCLE_RETENTION_DAYS} days.",
        )
        return redirect(spec.list_url_name)
    response: HttpResponse = render(
        request,
        "access/admin/object_delete.html",
        {
            "object": record,
            "noun": spec.noun,
            "list_url_name": spec.list_url_name,
            "consequences": consequences,
            "refusal": refusal,
            "retention_days": settings.RAPPORT_RECYCLE_RETENTION_DAYS,
        },
        status=409 if request.method == "POST" else 200,
    )
    return response
