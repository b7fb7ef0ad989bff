"""What the global search box finds among accounts, contacts, leads and opportunities.

Each provider runs one query: the rows the searcher may see (rapport.access.permissions), matched
through the full-text index without the fields hidden from them, newest first. Hidden
fields are emptied before the subtitle is built, so they are never shown either.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.db.models import Model, QuerySet
from django.urls import NoReverseMatch, reverse

from rapport.access import permissions
from rapport.core import records
from rapport.core.search import SearchHit
from rapport.fulltext.query import search_queryset


def _url(record_type_key: str, pk: int) -> str:
    """The record's page; empty while its app has no page (the hit still names the record)."""
    url_name = records.get(record_type_key).url_name
    if url_name is None:
        return ""
    try:
        return reverse(url_name, kwargs={"pk": pk})
    except NoReverseMatch:
        return ""


# Newest first, not by relevance or name. A relevance rank reads every match (182,000 rows for a
# job title at a million contacts). Name order lets PostgreSQL walk the name index until it has
# `limit` hits, which takes seconds when the word is a common surname prefix ("sch": its
# matches all sit together in that order). Creation order is independent of the words, so the
# walk along the primary key stops after a few rows when matches abound, and few matches are
# collected through the search index and sorted.
NEWEST_FIRST = ("-pk",)


def _found[M: Model](
    user: Any,
    record_type_key: str,
    queryset: QuerySet[M],
    query: str,
    limit: int,
) -> list[M]:
    visible = permissions.scope_queryset(user, record_type_key, queryset)
    found = search_queryset(visible, query, user=user).order_by(*NEWEST_FIRST)
    return permissions.mask_hidden(user, record_type_key, found[:limit])


def _line(*parts: object) -> str:
    return " · ".join(str(part) for part in parts if part)


def _provider(
    record_type_key: str,
    kind_label: str,
    build: Callable[[Any, str, int], list[Any]],
    title: Callable[[Any], str],
    subtitle: Callable[[Any], str],
) -> Callable[[Any, str, int], list[SearchHit]]:
    def provider(user: Any, query: str, limit: int) -> list[SearchHit]:
        return [
            SearchHit(
                kind=record_type_key,
                kind_label=kind_label,
                record_id=obj.pk,
                title=title(obj),
                subtitle=subtitle(obj),
                url=_url(record_type_key, obj.pk),
            )
            for obj in build(user, query, limit)
        ]

    provider.__name__ = f"search_{record_type_key}s"
    return provider


def _accounts(user: Any, query: str, limit: int) -> list[Any]:
    from rapport.customers.models import Account

    return _found(user, "account", Account.objects.all(), query, limit)


def _contacts(user: Any, query: str, limit: int) -> list[Any]:
    from rapport.customers.models import Contact

    return _found(
        user,
        "contact",
        Contact.objects.select_related("account"),
        query,
        limit,
    )


def _leads(user: Any, query: str, limit: int) -> list[Any]:
    from rapport.leads.models import Lead

    return _found(
        user,
        "lead",
        Lead.objects.all(),
        query,
        limit,
    )


def _opportunities(user: Any, query: str, limit: int) -> list[Any]:
    from rapport.pipeline.models import Opportunity

    return _found(
        user,
        "opportunity",
        Opportunity.objects.select_related("account", "stage"),
        query,
        limit,
    )


search_accounts = _provider(
    "account", "Account", _accounts, lambda a: a.name, lambda a: _line(a.city, a.website)
)
search_contacts = _provider(
    "contact",
    "Contact",
    _contacts,
    lambda c: c.full_name,
    lambda c: _line(c.job_title, c.account.name if c.account else "", c.email),
)
search_leads = _provider(
    "lead",
    "Lead",
    _leads,
    lambda lead: lead.full_name or lead.company,
    lambda lead: _line(lead.company if lead.full_name else "", lead.email),
)
search_opportunities = _provider(
    "opportunity",
    "Opportunity",
    _opportunities,
    lambda o: o.name,
    lambda o: _line(o.account.name, o.stage.name),
)
