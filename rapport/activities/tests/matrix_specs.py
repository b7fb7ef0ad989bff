"""How the permission matrix exercises this app's record types."""

from __future__ import annotations

from rapport.access.tests.matrix_types import TypeSpec

SPECS: dict[str, TypeSpec] = {}
