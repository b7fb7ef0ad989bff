"""Writes for accounts and contacts: permission, validation, audit, recycle bin."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction

from rapport.access import crud
from rapport.customers.models import Account, Contact

MAX_HIERARCHY_DEPTH = 10


def _check_parent(account: Account | None, parent: Account | None) -> None:
    """A parent must not be the account itself or one of its subsidiaries (no loops)."""
    if parent is None:
        return
    seen = 0
    current: Account | None = parent
    while current is not None:
        if account is not None and account.pk is not None and current.pk == account.pk:
            raise ValidationError(
                {"parent": "An account cannot belong to itself or to one of its subsidiaries."}
            )
        seen += 1
        if seen > MAX_HIERARCHY_DEPTH:
            raise ValidationError(
                {"parent": f"Account hierarchies are at most {MAX_HIERARCHY_DEPTH} levels deep."}
            )
        current = current.parent


@transaction.atomic
def account_create(
    *, acting_user: Any, values: Mapping[str, Any], check_permission: bool = True
) -> Account:
    """Create an account (owned by the acting user unless `owner` is given)."""
    _check_parent(None, values.get("parent"))
    return crud.record_create(
        record_type="account",
        acting_user=acting_user,
        values=values,
        check_permission=check_permission,
    )


@transaction.atomic
def account_update(
    *, acting_user: Any, account: Account, values: Mapping[str, Any], check_permission: bool = True
) -> Account:
    if "parent" in values:
        _check_parent(account, values["parent"])
    return crud.record_update(
        record_type="account",
        obj=account,
        acting_user=acting_user,
        values=values,
        check_permission=check_permission,
    )


@transaction.atomic
def account_delete(*, acting_user: Any, account: Account) -> Account:
    """Move an account to the recycle bin; its subsidiaries must be moved or deleted first."""
    if Account.objects.filter(parent=account).exists():
        raise ValidationError(
            "This account has subsidiaries; give them another parent or delete them first."
        )
    return crud.record_delete(record_type="account", obj=account, acting_user=acting_user)


@transaction.atomic
def contact_create(
    *, acting_user: Any, values: Mapping[str, Any], check_permission: bool = True
) -> Contact:
    """Create a contact (owned by the acting user unless `owner` is given)."""
    return crud.record_create(
        record_type="contact",
        acting_user=acting_user,
        values=values,
        check_permission=check_permission,
    )


@transaction.atomic
def contact_update(
    *, acting_user: Any, contact: Contact, values: Mapping[str, Any], check_permission: bool = True
) -> Contact:
    return crud.record_update(
        record_type="contact",
        obj=contact,
        acting_user=acting_user,
        values=values,
        check_permission=check_permission,
    )


@transaction.atomic
def contact_delete(*, acting_user: Any, contact: Contact) -> Contact:
    return crud.record_delete(record_type="contact", obj=contact, acting_user=acting_user)
