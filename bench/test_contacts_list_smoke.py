"""The million-contacts benchmark runs end to end with a few hundred rows."""

from __future__ import annotations

from bench.contacts_list import load, measure, report
from rapport.customers.models import Account, Contact
from rapport.fulltext import search_queryset


def test_the_benchmark_loads_its_data_and_times_every_scenario(db: None) -> None:
    loaded = load(rows=300)

    assert Contact.objects.count() == 300
    assert Account.objects.count() == 30
    assert Contact.objects.values("owner").distinct().count() > 20
    # The index was rebuilt after the load: every contact is found by its own surname.
    some = Contact.objects.order_by("id")[7]
    assert some in search_queryset(Contact.objects.all(), f"{some.first_name} {some.last_name}")

    results = measure(loaded, requests=2, warmup=1)

    assert len(results) == 9
    assert all(s.timing.requests == 2 and s.timing.p50_ms > 0 for s in results)
    lists = [s for s in results if "filter" in s.name or "own and team" in s.name]
    assert all(s.rows_last > 0 for s in lists)
    table = report(loaded, results)
    assert "| API list, owner filter, by last name | 2 |" in table
    assert "300 contacts, 30 accounts, 40 owners" in table
