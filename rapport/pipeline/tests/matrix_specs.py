"""How the permission matrix exercises this app's record types."""

from __future__ import annotations

from rapport.access.tests.matrix_types import TypeSpec
from rapport.pipeline.tests import matrix_specs_catalog

SPECS: dict[str, TypeSpec] = {**matrix_specs_catalog.SPECS}
