"""`rapport banner`: where Rapport is served and how to sign in, printed by `make run`."""

from __future__ import annotations

import os
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand

from rapport.demo.builder import demo_login_lines


class Command(BaseCommand):
    help = "Print the address Rapport is served at and the demo logins (when they exist)."

    def handle(self, *args: Any, **options: Any) -> None:
        rule = "─" * 64
        url = settings.SITE_URL
        if "SITE_URL" not in os.environ and os.environ.get("RAPPORT_PORT"):
            # `make run` serves on RAPPORT_PORT (see Procfile) when no SITE_URL says otherwise.
            url = f"http://127.0.0.1:{os.environ['RAPPORT_PORT']}"
        self.stdout.write(rule)
        self.stdout.write(self.style.SUCCESS(f"  Rapport is starting at {url}/"))
        logins = demo_login_lines()
        if logins:
            self.stdout.write(f"  Demo logins (password: {settings.DEMO_PASSWORD}):")
            for line in logins:
                self.stdout.write(f"    {line}")
        self.stdout.write("  Stop with Ctrl+C.")
        self.stdout.write(rule)
