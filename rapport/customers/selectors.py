"""Reads for accounts and contacts: the account structure (hierarchy) with its key figures."""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.apps import apps
from django.db.models import Count, Sum

from rapport.access import permissions
from rapport.customers.models import Account, Contact
from rapport.customers.services import MAX_HIERARCHY_DEPTH


@dataclass
class StructureNode:
    """One account in a group's structure, with what hangs off it."""

    account: Account
    visible: bool  # the viewer may open it (otherwise only its name is shown)
    contacts: int = 0
    open_pipeline: Decimal = Decimal(0)
    open_deals: int = 0
    children: list[StructureNode] = field(default_factory=list)
    is_current: bool = False


def account_root(account: Account) -> Account:
    """The top of the account's group (following parents, at most MAX_HIERARCHY_DEPTH up)."""
    current = account
    for _ in range(MAX_HIERARCHY_DEPTH):
        if current.parent_id is None:
            break
        parent = Account.objects.filter(pk=current.parent_id).first()
        if parent is None:
            break
        current = parent
    return current


def account_structure(*, viewer: Any, account: Account) -> StructureNode:
    """The whole group the account belongs to, as a tree: per node the contacts and the open
    pipeline (sum and count of open opportunities). One query per level plus three in all."""
    root = account_root(account)
    nodes: dict[int, StructureNode] = {}
    level = [root]
    depth = 0
    while level and depth <= MAX_HIERARCHY_DEPTH:
        for item in level:
            nodes[item.pk] = StructureNode(account=item, visible=False)
        level = list(
            Account.objects.filter(parent_id__in=[a.pk for a in level]).order_by("name", "id")
        )
        depth += 1
    ids = list(nodes)
    visible = set(
        permissions.scope_queryset(
            viewer, "account", Account.objects.filter(pk__in=ids)
        ).values_list("pk", flat=True)
    )
    contact_counts = dict(
        Contact.objects.filter(account_id__in=ids, left_company=False)
        .values("account_id")
        .annotate(n=Count("id"))
        .values_list("account_id", "n")
    )
    opportunity: Any = apps.get_model("pipeline", "Opportunity")
    pipeline = {
        row["account_id"]: row
        for row in opportunity.objects.filter(account_id__in=ids, stage__kind="open")
        .values("account_id")
        .annotate(total=Sum("amount"), n=Count("id"))
    }
    for pk, node in nodes.items():
        node.visible = pk in visible
        node.contacts = contact_counts.get(pk, 0)
        row = pipeline.get(pk)
        if row:
            node.open_pipeline = row["total"] or Decimal(0)
            node.open_deals = row["n"]
        node.is_current = pk == account.pk
    for node in nodes.values():
        parent_id = node.account.parent_id
        if node.account.pk != root.pk and parent_id in nodes:
            nodes[parent_id].children.append(node)
    return nodes[root.pk]


def structure_totals(node: StructureNode) -> tuple[Decimal, int]:
    """The open pipeline and contacts of a node and everything below it."""
    total, contacts = node.open_pipeline, node.contacts
    for child in node.children:
        child_total, child_contacts = structure_totals(child)
        total += child_total
        contacts += child_contacts
    return total, contacts
