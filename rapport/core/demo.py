"""The demo's picklists: every default list and value, even ones an administrator removed."""

from __future__ import annotations

from rapport.core.picklists import picklists_ensure_defaults
from rapport.demo.builder import DemoContext, demo_step


@demo_step("picklists", order=90)
def build_picklists(ctx: DemoContext) -> None:
    """The default picklists and values that are missing (existing ones stay as they are)."""
    picklists_ensure_defaults()
