from django.apps import AppConfig


class ImportsConfig(AppConfig):
    """Imports (scrub before load, undo after) and exports of any list."""

    name = "rapport.imports"
    label = "imports"
    verbose_name = "Imports and exports"
