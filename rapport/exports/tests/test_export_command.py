"""`rapport export`: a condition filters the rows; a broken one says where and exits 2."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from openpyxl import load_workbook  # type: ignore[import-untyped]

from rapport.access.models import User
from rapport.customers.models import Contact
from rapport.exports.tests.conftest import as_dicts

pytestmark = pytest.mark.django_db


def contacts(owner: User) -> None:
    for last, city in (("Adams", "Berlin"), ("Baker", "Paris"), ("Clark", "Berlin")):
        Contact.objects.create(last_name=last, city=city, owner=owner)


def test_a_filter_exports_the_matching_rows_and_says_how_many(
    admin_user: User, tmp_path: Path
) -> None:
    contacts(admin_user)
    output = tmp_path / "berlin.csv"
    out = io.StringIO()
    call_command("export", "--type", "contact", "--format", "csv", "--output", str(output),
                 "--filter", 'city = "Berlin"', stdout=out)  # fmt: skip
    rows = as_dicts(output.read_bytes())
    assert [r["Last name"] for r in rows] == ["Adams", "Clark"]
    assert out.getvalue().startswith(f"2 rows written to {output}")


def test_xlsx_with_a_filter(admin_user: User, tmp_path: Path) -> None:
    contacts(admin_user)
    output = tmp_path / "paris.xlsx"
    call_command("export", "--type", "contact", "--format", "xlsx", "--output", str(output),
                 "--filter", 'city != "Berlin"', stdout=io.StringIO())  # fmt: skip
    sheet = load_workbook(output).active
    header = [c.value for c in sheet[1]]
    assert [row[header.index("Last name")].value for row in sheet.iter_rows(min_row=2)] == ["Baker"]


def test_a_broken_filter_gives_the_position_and_exits_2(admin_user: User, tmp_path: Path) -> None:
    output = tmp_path / "never.csv"
    with pytest.raises(CommandError) as raised:
        call_command("export", "--type", "contact", "--output", str(output),
                     "--filter", 'city = "Berlin" and\n  colour = "red"')  # fmt: skip
    assert raised.value.returncode == 2
    assert "colour" in str(raised.value)
    assert "(line 2, column 3)" in str(raised.value)
    assert not output.exists()


def test_filtering_by_a_field_hidden_from_the_person_is_refused(rep: User, tmp_path: Path) -> None:
    from rapport.access import permissions
    from rapport.access.models import Role

    permissions.field_permission_set(
        acting_user=None,
        role=Role.objects.get(key="sales_rep"),
        record_type="contact",
        field_name="email",
        access=permissions.HIDDEN,
    )
    with pytest.raises(CommandError) as raised:
        call_command("export", "--type", "contact", "--output", str(tmp_path / "x.csv"),
                     "--user", rep.email, "--filter", 'email contains "@"')  # fmt: skip
    assert raised.value.returncode == 2
    assert "may not filter by email" in str(raised.value)


def test_raw_as_a_rep_is_refused(rep: User, tmp_path: Path) -> None:
    with pytest.raises(CommandError, match="Only administrators may export raw values"):
        call_command("export", "--type", "contact", "--output", str(tmp_path / "x.csv"),
                     "--user", rep.email, "--raw")  # fmt: skip


def test_an_unknown_person_is_named(tmp_path: Path, db: None) -> None:
    with pytest.raises(CommandError, match=r"nobody@example\.com"):
        call_command("export", "--type", "contact", "--output", str(tmp_path / "x.csv"),
                     "--user", "nobody@example.com")  # fmt: skip
