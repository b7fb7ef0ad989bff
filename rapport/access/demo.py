"""The demo's permission rules: every role, even one the demo re-created, has its defaults."""

from __future__ import annotations

from rapport.access.permissions import permissions_ensure_defaults
from rapport.demo.builder import DemoContext, demo_step


@demo_step("permissions", order=110)
def build_permissions(ctx: DemoContext) -> None:
    """The default permission rules for roles that have none yet (existing rules stay)."""
    permissions_ensure_defaults()
