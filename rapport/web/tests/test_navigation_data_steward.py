"""A Data Steward's navigation has the Clean data section, and no Administration."""

from __future__ import annotations

import pytest

from rapport.web.navigation import navigation_for

pytestmark = pytest.mark.django_db


def test_a_steward_sees_the_clean_data_items_but_not_administration(make_user):
    steward = make_user(role="data_steward")

    sections = {s.label: [item.label for item in s.items] for s in navigation_for(steward, "/")}

    assert {"Duplicates", "Corrections", "Glossary", "Data quality"} <= set(sections["Clean data"])
    assert "Administration" not in sections
