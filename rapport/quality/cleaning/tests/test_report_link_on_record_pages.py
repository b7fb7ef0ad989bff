"""Every record page offers "Report wrong data", leading to the flag form for that record."""

from __future__ import annotations

import pytest

from rapport.customers.models import Account, Contact

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("kind", ["account", "contact"])
def test_the_record_page_links_to_the_report_form(kind, client, admin_user):
    account = Account.objects.create(name="Acme", owner=admin_user)
    record = (
        account
        if kind == "account"
        else Contact.objects.create(last_name="Lovelace", account=account, owner=admin_user)
    )
    client.force_login(admin_user)
    page = client.get(f"/{kind}s/{record.pk}/").content.decode()
    assert f'href="/cleaning/report/{kind}/{record.pk}/"' in page
    assert client.get(f"/cleaning/report/{kind}/{record.pk}/").status_code == 200
