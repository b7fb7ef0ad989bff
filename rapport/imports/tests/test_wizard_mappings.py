"""The saved mappings page: the list with its usage counts, rename, delete, who may do what."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from rapport.access.models import User
from rapport.imports import services
from rapport.imports.models import ImportBatch, ImportMapping

pytestmark = pytest.mark.django_db

COLUMNS = {"Vorname": "first_name", "Nachname": "last_name", "E-Mail": "email", "Farbe": ""}


def signed_in(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client


def saved_mapping(owner: User, name: str = "Legacy CRM", record_type: str = "contact") -> Any:
    columns = COLUMNS if record_type == "contact" else {"Firma": "name"}
    return services.mapping_save(
        acting_user=owner, record_type=record_type, name=name, columns=columns
    )


def past_import(user: User, saved: ImportMapping, *, days_ago: int = 0) -> ImportBatch:
    """An import that used the mapping, with its own copy of the columns."""
    batch = ImportBatch.objects.create(
        record_type=saved.record_type,
        file_name="legacy.csv",
        headers=list(saved.columns),
        mapping=dict(saved.columns),
        saved_mapping=saved,
        status=ImportBatch.Status.COMMITTED,
        created_by=user,
    )
    when = timezone.now() - timedelta(days=days_ago)
    ImportBatch.objects.filter(pk=batch.pk).update(created_at=when)
    batch.refresh_from_db()
    return batch


def row_of(html: str, saved: ImportMapping) -> str:
    start = html.index(f'data-mapping="{saved.pk}"')
    return html[start : html.index("</tr>", start)]


# The list ----------------------------------------------------------------------------------------


def test_the_imports_list_links_to_the_saved_mappings(rep: User) -> None:
    html = signed_in(rep).get("/imports/").content.decode()
    assert 'href="/imports/mappings/"' in html
    assert "Saved mappings" in html


def test_an_empty_list_says_how_to_save_a_mapping(rep: User) -> None:
    response = signed_in(rep).get("/imports/mappings/")
    assert response.status_code == 200
    assert "No saved mappings yet" in response.content.decode()


def test_the_list_shows_each_mapping_with_its_columns_owner_and_use(
    rep: User, make_user: Callable[..., User]
) -> None:
    colleague = make_user(role="sales_rep", first_name="Carl", last_name="Colleague")
    used = saved_mapping(rep, "Legacy CRM")
    unused = saved_mapping(colleague, "Trade fair leads")
    past_import(rep, used, days_ago=3)
    latest = past_import(colleague, used, days_ago=1)
    html = signed_in(rep).get("/imports/mappings/").content.decode()
    assert "<h2" in html
    assert "Contacts" in html

    row = row_of(html, used)
    assert "Legacy CRM" in row
    assert "3 of 4 columns imported" in row
    assert "<dt>Vorname</dt><dd>→ First name</dd>" in row
    assert "<dt>E-Mail</dt><dd>→ Email</dd>" in row
    assert '<dt>Farbe</dt><dd><span class="muted">not imported</span></dd>' in row
    assert "Rita Rep" in row
    assert f'datetime="{timezone.localtime(latest.created_at).isoformat()}"' in row
    assert '<td class="num">2</td>' in row
    assert f'href="/imports/mappings/{used.pk}/rename/"' in row

    other = row_of(html, unused)
    assert "Carl Colleague" in other
    assert "Never" in other
    assert '<td class="num">0</td>' in other
    assert "rename/" not in other
    assert "delete/" not in other


def test_the_list_runs_the_same_queries_for_one_mapping_or_five(
    rep: User, django_assert_num_queries: Any
) -> None:
    client = signed_in(rep)
    past_import(rep, saved_mapping(rep, "Mapping 0"))
    client.get("/imports/mappings/")  # the session and the role, loaded once
    with CaptureQueriesContext(connection) as one:
        client.get("/imports/mappings/")
    # The mappings, their owners, use counts and last use: one query.
    assert sum('"imports_importmapping"' in q["sql"] for q in one.captured_queries) == 1
    for n in range(1, 5):
        past_import(rep, saved_mapping(rep, f"Mapping {n}"))
    with django_assert_num_queries(len(one.captured_queries)):
        html = client.get("/imports/mappings/").content.decode()
    assert html.count("data-mapping=") == 5


def test_only_mappings_of_types_the_person_may_import_are_listed(
    rep: User, make_user: Callable[..., User]
) -> None:
    saved = saved_mapping(rep)
    executive = make_user(role="executive")  # creates no records, so imports nothing
    client = signed_in(executive)
    html = client.get("/imports/mappings/").content.decode()
    assert "Legacy CRM" not in html
    assert client.post(f"/imports/mappings/{saved.pk}/rename/", {"name": "X"}).status_code == 404
    assert client.post(f"/imports/mappings/{saved.pk}/delete/").status_code == 404
    assert ImportMapping.objects.get(pk=saved.pk).name == "Legacy CRM"


# Rename ------------------------------------------------------------------------------------------


def test_the_owner_renames_a_mapping(rep: User) -> None:
    saved = saved_mapping(rep)
    client = signed_in(rep)
    form = client.get(f"/imports/mappings/{saved.pk}/rename/").content.decode()
    assert "Rename “Legacy CRM”" in form
    assert 'value="Legacy CRM"' in form
    response = client.post(f"/imports/mappings/{saved.pk}/rename/", {"name": "  Old CRM  "})
    assert response.status_code == 302
    assert response["Location"] == "/imports/mappings/"
    assert ImportMapping.objects.get(pk=saved.pk).name == "Old CRM"
    page = client.get("/imports/mappings/").content.decode()
    assert "“Legacy CRM” is now called “Old CRM”." in page


def test_a_name_taken_by_another_mapping_of_the_type_is_refused(
    rep: User, make_user: Callable[..., User]
) -> None:
    saved = saved_mapping(rep, "Legacy CRM")
    saved_mapping(make_user(role="sales_rep"), "Trade fair")
    client = signed_in(rep)
    response = client.post(f"/imports/mappings/{saved.pk}/rename/", {"name": "Trade fair"})
    assert response.status_code == 200
    html = response.content.decode()
    assert '<p class="field-error">A contact mapping named “Trade fair” exists already.</p>' in html
    assert "Rename “Legacy CRM”" in html  # the heading keeps the name it has
    assert ImportMapping.objects.get(pk=saved.pk).name == "Legacy CRM"


def test_the_same_name_for_another_record_type_is_fine(rep: User) -> None:
    saved = saved_mapping(rep, "Legacy CRM", record_type="contact")
    saved_mapping(rep, "Legacy", record_type="account")
    response = signed_in(rep).post(f"/imports/mappings/{saved.pk}/rename/", {"name": "Legacy"})
    assert response.status_code == 302
    assert ImportMapping.objects.filter(name="Legacy").count() == 2


def test_an_empty_name_is_refused_naming_the_field(rep: User) -> None:
    saved = saved_mapping(rep)
    response = signed_in(rep).post(f"/imports/mappings/{saved.pk}/rename/", {"name": "   "})
    assert response.status_code == 200
    assert 'class="field has-error"' in response.content.decode()
    assert ImportMapping.objects.get(pk=saved.pk).name == "Legacy CRM"


def test_the_rename_service_refuses_a_duplicate_and_someone_elses_mapping(
    rep: User, make_user: Callable[..., User]
) -> None:
    saved = saved_mapping(rep, "Legacy CRM")
    saved_mapping(rep, "Trade fair")
    with pytest.raises(ValidationError) as error:
        services.mapping_rename(acting_user=rep, saved=saved, name="Trade fair")
    assert error.value.message_dict == {
        "name": ["A contact mapping named “Trade fair” exists already."]
    }
    with pytest.raises(PermissionDenied):
        services.mapping_rename(
            acting_user=make_user(role="sales_rep"), saved=saved, name="Mine now"
        )
    assert ImportMapping.objects.get(pk=saved.pk).name == "Legacy CRM"


# Delete ------------------------------------------------------------------------------------------


def test_delete_asks_first_saying_how_many_imports_used_it(rep: User) -> None:
    saved = saved_mapping(rep)
    past_import(rep, saved, days_ago=2)
    past_import(rep, saved)
    html = signed_in(rep).get(f"/imports/mappings/{saved.pk}/delete/").content.decode()
    assert "Delete the mapping “Legacy CRM”?" in html
    assert "2 past imports used it" in html
    assert "they keep their own copy of the mapping" in html
    assert ImportMapping.objects.filter(pk=saved.pk).exists()


def test_deleting_keeps_the_past_imports_and_their_mapping(rep: User) -> None:
    saved = saved_mapping(rep)
    batch = past_import(rep, saved)
    client = signed_in(rep)
    response = client.post(f"/imports/mappings/{saved.pk}/delete/", follow=True)
    assert response.redirect_chain == [("/imports/mappings/", 302)]
    page = response.content.decode()
    assert "The mapping “Legacy CRM” is deleted; past imports are unchanged." in page
    assert "No saved mappings yet" in page
    assert not ImportMapping.objects.filter(pk=saved.pk).exists()
    batch.refresh_from_db()
    assert batch.saved_mapping is None
    assert batch.mapping == COLUMNS
    assert batch.status == ImportBatch.Status.COMMITTED
    assert client.get(f"/imports/{batch.pk}/").status_code == 200


# Who may -----------------------------------------------------------------------------------------


def test_someone_else_may_not_rename_or_delete_and_nothing_changes(
    rep: User, make_user: Callable[..., User]
) -> None:
    saved = saved_mapping(rep)
    batch = past_import(rep, saved)
    client = signed_in(make_user(role="sales_rep"))
    assert client.get(f"/imports/mappings/{saved.pk}/rename/").status_code == 403
    assert client.get(f"/imports/mappings/{saved.pk}/delete/").status_code == 403
    assert client.post(f"/imports/mappings/{saved.pk}/rename/", {"name": "X"}).status_code == 403
    assert client.post(f"/imports/mappings/{saved.pk}/delete/").status_code == 403
    unchanged = ImportMapping.objects.get(pk=saved.pk)
    assert (unchanged.name, unchanged.columns) == ("Legacy CRM", COLUMNS)
    batch.refresh_from_db()
    assert batch.saved_mapping_id == saved.pk


def test_an_unknown_mapping_is_a_404(rep: User) -> None:
    assert signed_in(rep).post("/imports/mappings/999999/delete/").status_code == 404


def test_an_administrator_renames_and_deletes_anyones_mapping(rep: User, admin_user: User) -> None:
    saved = saved_mapping(rep)
    client = signed_in(admin_user)
    row = row_of(client.get("/imports/mappings/").content.decode(), saved)
    assert "rename/" in row
    assert "delete/" in row
    client.post(f"/imports/mappings/{saved.pk}/rename/", {"name": "Checked by admin"})
    assert ImportMapping.objects.get(pk=saved.pk).name == "Checked by admin"
    client.post(f"/imports/mappings/{saved.pk}/delete/")
    assert not ImportMapping.objects.filter(pk=saved.pk).exists()
