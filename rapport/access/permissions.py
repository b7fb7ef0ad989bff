"""Who may do what with which records: the one place permission decisions are made.

Pages, the API, search, exports and history ask this module and nothing else, so they cannot
disagree. The rules are rows: a `RolePermission` per role and record type (create / read / edit /
delete and a visibility scope) and `FieldPermission`s hiding fields or making them read-only. A
missing row means no access. Superusers bypass the rules, except that a read-only role never writes.

A person's rules are read once per request (one query) and kept on the user object, which Django
loads afresh for every request.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Literal

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import Field, Model, Q, QuerySet, Value
from django.http import Http404

from rapport.core import records

if TYPE_CHECKING:
    from rapport.access.models import FieldPermission, Role, RolePermission, User

Action = Literal["create", "read", "edit", "delete"]
ACTIONS: tuple[Action, ...] = ("create", "read", "edit", "delete")
WRITE_ACTIONS: frozenset[str] = frozenset({"create", "edit", "delete"})

SCOPE_OWN = "own"
SCOPE_TEAM = "team"
SCOPE_SUBORDINATES = "subordinates"
SCOPE_ALL = "all"

HIDDEN = "hidden"
READ_ONLY = "read_only"

# The organisation's own records: every role reads them (the directory), only admins change them.
ORGANISATION_TYPES: tuple[str, ...] = ("user", "team", "office", "role")

_CACHE_ATTRIBUTE = "_rapport_policies"
_SUBORDINATES_ATTRIBUTE = "_rapport_subordinate_ids"


@dataclass(frozen=True)
class Policy:
    """What one person may do with one record type."""

    record_type: str
    actions: frozenset[str] = frozenset()
    scope: str = SCOPE_OWN
    hidden_fields: frozenset[str] = frozenset()
    read_only_fields: frozenset[str] = frozenset()

    def can(self, action: str) -> bool:
        """Whether the action is allowed at all (a record may still be out of scope)."""
        return action in self.actions

    @property
    def protected_fields(self) -> frozenset[str]:
        """Fields the person may not write: the hidden and the read-only ones."""
        return self.hidden_fields | self.read_only_fields


@dataclass
class _Rules:
    actions: set[str] = field(default_factory=set)
    scope: str = SCOPE_OWN
    hidden: set[str] = field(default_factory=set)
    read_only: set[str] = field(default_factory=set)


def _load_policies(user: User) -> dict[str, Policy]:
    from rapport.access.models import FieldPermission, RolePermission

    role = user.role
    read_only_role = role is not None and role.is_read_only
    if user.is_superuser:
        allowed = frozenset({"read"}) if read_only_role else frozenset(ACTIONS)
        return {
            t.key: Policy(record_type=t.key, actions=allowed, scope=SCOPE_ALL)
            for t in records.all_types()
        }
    if role is None:
        return {}
    # One query for both kinds of row: the role's type rules and its field rules, side by side.
    type_rows = (
        RolePermission.objects.filter(role_id=role.pk)
        .order_by()
        .values_list(
            "record_type",
            "can_create",
            "can_read",
            "can_edit",
            "can_delete",
            "scope",
            Value(""),
            Value(""),
        )
    )
    field_rows = (
        FieldPermission.objects.filter(role_id=role.pk)
        .order_by()
        .values_list(
            "record_type",
            Value(False),
            Value(False),
            Value(False),
            Value(False),
            Value(""),
            "field_name",
            "access",
        )
    )
    rules: dict[str, _Rules] = {}
    for key, create, read, edit, delete, scope, field_name, access in type_rows.union(
        field_rows, all=True
    ).order_by():
        entry = rules.setdefault(key, _Rules())
        if field_name:
            (entry.hidden if access == HIDDEN else entry.read_only).add(field_name)
            continue
        entry.scope = scope
        for action, allowed in zip(ACTIONS, (create, read, edit, delete), strict=True):
            if allowed and not (read_only_role and action in WRITE_ACTIONS):
                entry.actions.add(action)
    return {
        key: Policy(
            record_type=key,
            actions=frozenset(entry.actions),
            scope=entry.scope,
            hidden_fields=frozenset(entry.hidden),
            read_only_fields=frozenset(entry.read_only - entry.hidden),
        )
        for key, entry in rules.items()
    }


def policies_for(user: Any) -> dict[str, Policy]:
    """Every policy of a person, read once and kept on the user object."""
    if not getattr(user, "is_authenticated", False):
        return {}
    cached: dict[str, Policy] | None = getattr(user, _CACHE_ATTRIBUTE, None)
    if cached is None:
        cached = _load_policies(user)
        setattr(user, _CACHE_ATTRIBUTE, cached)
    return cached


def policy_for(user: Any, record_type_key: str) -> Policy:
    """What the person may do with records of this type (nothing, when no rule says otherwise)."""
    records.get(record_type_key)  # a typo must fail loudly, not deny silently
    return policies_for(user).get(record_type_key) or Policy(record_type=record_type_key)


def forget(user: Any) -> None:
    """Drop the rules kept on the user object (after the rules changed in this request)."""
    for attribute in (_CACHE_ATTRIBUTE, _SUBORDINATES_ATTRIBUTE):
        if hasattr(user, attribute):
            delattr(user, attribute)


def _subordinates(user: User) -> set[int]:
    from rapport.access.models import subordinate_ids

    cached: set[int] | None = getattr(user, _SUBORDINATES_ATTRIBUTE, None)
    if cached is None:
        cached = subordinate_ids([user.pk])
        setattr(user, _SUBORDINATES_ATTRIBUTE, cached)
    return cached


def _scope_filter(user: User, record_type: records.RecordType, scope: str) -> Q | None:
    """The filter a scope stands for; None means every record."""
    if scope == SCOPE_ALL:
        return None
    if record_type.owner_path is None:
        return Q(pk__in=[])  # nobody owns these records: only "all" shows any
    owner = record_type.owner_path or "pk"
    own = Q(**{owner: user.pk})
    if scope == SCOPE_TEAM:
        if user.team_id is None:
            return own
        team_path = f"{record_type.owner_path}__team_id" if record_type.owner_path else "team_id"
        return own | Q(**{team_path: user.team_id})
    if scope == SCOPE_SUBORDINATES:
        return Q(**{f"{owner}__in": {user.pk, *_subordinates(user)}})
    return own


def scope_queryset[M: Model](user: Any, record_type_key: str, queryset: QuerySet[M]) -> QuerySet[M]:
    """The records of the queryset the person may see (none without read permission)."""
    policy = policy_for(user, record_type_key)
    if not policy.can("read"):
        return queryset.none()
    condition = _scope_filter(user, records.get(record_type_key), policy.scope)
    return queryset if condition is None else queryset.filter(condition)


def in_scope(user: Any, record_type_key: str, obj: Model) -> bool:
    """Whether the person may see this record (a query unless the scope is "all")."""
    policy = policy_for(user, record_type_key)
    if not policy.can("read"):
        return False
    condition = _scope_filter(user, records.get(record_type_key), policy.scope)
    if condition is None:
        return True
    return type(obj)._default_manager.filter(condition, pk=obj.pk).exists()


def check(user: Any, action: str, record_type_key: str, obj: Model | None = None) -> Policy:
    """Allow the action or raise: Http404 for a record out of sight, else PermissionDenied (403).

    A record the person cannot see answers 404 whatever the action, so its existence never leaks.
    """
    policy = policy_for(user, record_type_key)
    if obj is not None and policy.can("read") and not in_scope(user, record_type_key, obj):
        raise Http404(f"No such {str(records.get(record_type_key).label).lower()}.")
    if not policy.can(action):
        raise PermissionDenied(denial_message(action, record_type_key))
    return policy


def denial_message(action: str, record_type_key: str) -> str:
    """The sentence a refused person reads, e.g. "Your role may not edit teams."."""
    return f"Your role may not {action} {str(records.get(record_type_key).label_plural).lower()}."


def can_read_record(user: Any, record: Model) -> bool:
    """Whether the person may read this record (for engines that hold any kind of record)."""
    try:
        key = records.for_model(type(record)).key
    except KeyError:
        return False  # not a record type: nothing grants access to it
    return in_scope(user, key, record)


def hidden_fields_of(user: Any, record_type_key: str) -> frozenset[str]:
    """The fields hidden from the person on a record type (none for unknown types)."""
    try:
        return policy_for(user, record_type_key).hidden_fields
    except KeyError:
        return frozenset()


def visible_fields(user: Any, record_type_key: str, fields: Iterable[str]) -> list[str]:
    """The fields, in order, without those hidden from the person."""
    hidden = policy_for(user, record_type_key).hidden_fields
    return [name for name in fields if name not in hidden]


def strip_hidden(user: Any, record_type_key: str, data: Mapping[str, Any]) -> dict[str, Any]:
    """A copy of the data without the fields hidden from the person."""
    hidden = policy_for(user, record_type_key).hidden_fields
    return {name: value for name, value in data.items() if name not in hidden}


def protected_fields_in(user: Any, record_type_key: str, data: Iterable[str]) -> list[str]:
    """The field names among `data` that the person may not write (hidden or read-only)."""
    protected = policy_for(user, record_type_key).protected_fields
    return sorted(name for name in data if name in protected)


def mask_hidden[M: Model](user: Any, record_type_key: str, objects: Iterable[M]) -> list[M]:
    """The records with hidden fields emptied in memory, for pages that render whole records.

    Masked copies are for display only: they are never saved (forms re-read from the database).
    """
    hidden = policy_for(user, record_type_key).hidden_fields
    shown = list(objects)
    if not hidden:
        return shown
    for obj in shown:
        for name in hidden:
            model_field = obj._meta.get_field(name)
            assert isinstance(model_field, Field)  # secured fields are concrete fields
            setattr(obj, model_field.attname, None if model_field.null else "")
    return shown


# Defaults ---------------------------------------------------------------------------------------


@dataclass(frozen=True)
class DefaultRule:
    create: bool
    read: bool
    edit: bool
    delete: bool
    scope: str


def default_rule(role_key: str, record_type_key: str) -> DefaultRule | None:
    """The rule a standard role starts with for a record type (None: no access)."""
    if role_key == "administrator":
        return DefaultRule(True, True, True, True, SCOPE_ALL)
    if role_key == "read_only" or record_type_key in ORGANISATION_TYPES:
        return DefaultRule(False, True, False, False, SCOPE_ALL)
    try:
        declared = records.get(record_type_key).default_access
    except KeyError:
        return None
    spec = declared.get(role_key, declared.get("*"))
    if not spec:
        return None
    letters, _, scope = spec.partition(":")
    return DefaultRule("c" in letters, "r" in letters, "e" in letters, "d" in letters, scope)


def permissions_ensure_defaults(
    *,
    role_model: Any = None,
    permission_model: Any = None,
    record_type_keys: Iterable[str] | None = None,
    roles: Iterable[Any] | None = None,
) -> int:
    """Create the default rules that are missing (existing rows are left alone); return how many.

    Takes the models so a data migration can pass its historical ones; later record types call it
    from their own migration so administrators get them at once. `roles` limits it to some roles
    (a new role gets its defaults without re-granting what was taken from others).
    """
    if role_model is None or permission_model is None:
        from rapport.access.models import Role, RolePermission

        role_model = role_model or Role
        permission_model = permission_model or RolePermission
    keys = list(record_type_keys or (t.key for t in records.all_types()))
    existing = set(permission_model.objects.values_list("role_id", "record_type"))
    new = []
    for role in role_model.objects.all() if roles is None else roles:
        for key in keys:
            rule = default_rule(role.key, key)
            if rule is None or (role.pk, key) in existing:
                continue
            new.append(
                permission_model(
                    role_id=role.pk,
                    record_type=key,
                    can_create=rule.create,
                    can_read=rule.read,
                    can_edit=rule.edit,
                    can_delete=rule.delete,
                    scope=rule.scope,
                )
            )
    permission_model.objects.bulk_create(new)
    return len(new)


# Writes -----------------------------------------------------------------------------------------


@transaction.atomic
def permission_set(
    *,
    acting_user: User | None,
    role: Role,
    record_type: str,
    can_create: bool,
    can_read: bool,
    can_edit: bool,
    can_delete: bool,
    scope: str,
) -> RolePermission:
    """Set what a role may do with a record type; only a real change is saved and audited."""
    from rapport.access.models import RolePermission
    from rapport.core import audit
    from rapport.core.models import AuditEntry

    rule = RolePermission.objects.filter(role=role, record_type=record_type).first()
    action = AuditEntry.Action.UPDATE
    if rule is None:
        rule = RolePermission(role=role, record_type=record_type, scope=scope)
        if not (can_create or can_read or can_edit or can_delete):
            return rule  # no rule means no access already: nothing to store
        action = AuditEntry.Action.CREATE
    before = audit.snapshot(rule)
    rule.can_create, rule.can_read, rule.can_edit, rule.can_delete = (
        can_create,
        can_read,
        can_edit,
        can_delete,
    )
    rule.scope = scope
    rule.full_clean()
    changes = audit.diff(before, audit.snapshot(rule))
    if action == AuditEntry.Action.CREATE or changes:
        rule.save()
        audit.audit_record(obj=rule, acting_user=acting_user, action=action, changes=changes)
    if acting_user is not None:
        forget(acting_user)
    return rule


@transaction.atomic
def field_permission_set(
    *,
    acting_user: User | None,
    role: Role,
    record_type: str,
    field_name: str,
    access: str | None,
) -> FieldPermission | None:
    """Hide a field from a role, make it read-only, or (access None) lift the rule."""
    from rapport.access.models import FieldPermission
    from rapport.core import audit
    from rapport.core.models import AuditEntry

    rule = FieldPermission.objects.filter(
        role=role, record_type=record_type, field_name=field_name
    ).first()
    if access is None:
        if rule is not None:
            audit.audit_record(
                obj=rule,
                acting_user=acting_user,
                action=AuditEntry.Action.DELETE,
                changes=audit.diff(audit.snapshot(rule), {}),
            )
            rule.delete()
        if acting_user is not None:
            forget(acting_user)
        return None
    action = AuditEntry.Action.UPDATE
    if rule is None:
        rule = FieldPermission(role=role, record_type=record_type, field_name=field_name)
        action = AuditEntry.Action.CREATE
    before = audit.snapshot(rule)
    rule.access = access
    rule.full_clean()
    changes = audit.diff(before, audit.snapshot(rule))
    if action == AuditEntry.Action.CREATE or changes:
        rule.save()
        audit.audit_record(obj=rule, acting_user=acting_user, action=action, changes=changes)
    if acting_user is not None:
        forget(acting_user)
    return rule
