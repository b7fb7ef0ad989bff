from django.apps import AppConfig


class DedupeConfig(AppConfig):
    name = "rapport.quality.dedupe"
    label = "dedupe"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from rapport.access import crud
        from rapport.api.records import register_write_check
        from rapport.customers.api.views import AccountViewSet, ContactViewSet
        from rapport.leads.api.views import LeadViewSet
        from rapport.quality.dedupe import services
        from rapport.quality.dedupe.api.views import document_write_check, duplicate_write_check
        from rapport.quality.dedupe.web.checks import duplicate_form_check
        from rapport.web.records import register_form_check

        crud.register_after_save(services.keys_update, record_types=services.RECORD_TYPES)
        from rapport.quality.scores.scoring import register_issue_source

        # An open pair in the review queue lowers both records' data-quality score.
        register_issue_source(services.duplicate_suspicions)
        register_write_check(duplicate_write_check, record_types=services.RECORD_TYPES)
        register_form_check(duplicate_form_check, record_types=services.RECORD_TYPES)
        for viewset in (AccountViewSet, ContactViewSet, LeadViewSet):
            document_write_check(viewset)
