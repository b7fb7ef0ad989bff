"""How the permission matrix exercises products, price lists and orders."""

from __future__ import annotations

from rapport.access.tests.matrix_types import TypeSpec

SPECS: dict[str, TypeSpec] = {}
