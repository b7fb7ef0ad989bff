from django.apps import AppConfig


class ExportsConfig(AppConfig):
    """Exports of any record list to CSV and XLSX, with the list's filters and field security."""

    name = "rapport.exports"
    label = "exports"
    verbose_name = "Exports"
