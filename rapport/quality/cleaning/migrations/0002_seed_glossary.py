"""The field glossary's first definitions: what the important fields mean in Rapport."""

from __future__ import annotations

from typing import Any

from django.db import migrations

DEFINITIONS: dict[str, dict[str, tuple[str, str]]] = {
    # record type -> field -> (definition, allowed values note)
    "account": {
        "name": (
            "The company's trading name as customers know it, with its legal form when it is "
            "part of how they sign (e.g. 'Acme GmbH'). One account per legal entity we sell to.",
            "Free text; duplicates are checked on the name without its legal form.",
        ),
        "owner": (
            "The person responsible for the whole relationship with the company: they approve "
            "changes to its key facts and receive its correction requests.",
            "An active user.",
        ),
        "industry": ("The company's main business, for segmentation and reporting.", ""),
        "annual_revenue": (
            "The company's yearly revenue as last published, in its reporting currency; not what "
            "they spend with us.",
            "A positive amount, or empty when unknown.",
        ),
        "employees": (
            "How many people the whole company employs (the group, not one site).",
            "A whole number.",
        ),
        "website": ("The company's main web site; its domain links e-mails to the account.", "A URL."),
        "phone": ("The switchboard number, stored in international (E.164) form.", "A valid phone number."),
        "country": ("The country of the company's registered address.", "An ISO 3166 country."),
        "updated_at": (
            "Last touched: when anyone last changed the account's own fields (activities do not "
            "count; the stale-data queue looks at both).",
            "Set by Rapport.",
        ),
    },
    "contact": {
        "last_name": ("The person's family name, as they write it ('van der Berg', 'McDonald').", "Required."),
        "first_name": ("The given name the person uses (may include middle names).", ""),
        "email": (
            "The person's work e-mail address; bounced addresses appear in the stale-data queue.",
            "A valid address; the domain is stored in lower case.",
        ),
        "phone": ("The person's direct office line, in E.164 form.", "A valid phone number."),
        "mobile": ("The person's mobile number, in E.164 form.", "A valid phone number."),
        "job_title": ("The title exactly as the person uses it on their signature.", "Free text."),
        "title_level": (
            "Title level: how senior the person is whatever their title says — C-level (runs the "
            "company or a function), VP, director, manager or individual contributor. Used to find "
            "decision makers.",
            "",
        ),
        "left_company": (
            "The person no longer works at the account. The contact is kept for history and no "
            "longer receives campaigns.",
            "Yes or no.",
        ),
        "do_not_contact": ("The person asked not to be contacted by any channel.", "Yes or no."),
        "updated_at": ("Last touched: when anyone last changed the contact's own fields.", "Set by Rapport."),
    },
    "lead": {
        "company": ("The company the lead works for, as they gave it.", "Free text."),
        "email": ("The address the lead gave us.", "A valid address."),
        "status": ("Where the lead is in qualification, from new to converted or disqualified.", ""),
        "source": ("Where the lead came from (campaign, web form, referral, …).", ""),
        "last_touched_at": (
            "Last touched: when someone last called, wrote to or met the lead (a logged activity), "
            "or changed its status.",
            "Set by Rapport.",
        ),
    },
    "opportunity": {
        "amount": (
            "Amount: the total value of the deal in its currency — the sum of its line items when "
            "it has any — before tax, one-off and first-year recurring revenue together.",
            "A positive amount; required from the Proposal stage on.",
        ),
        "forecast_close_date": (
            "Forecast close date: the date the owner expects the customer to sign. It is a "
            "forecast, revised as the deal moves, not the date it was entered; once the deal is "
            "won or lost, the actual close date is 'closed at'.",
            "A date; required from the Proposal stage on.",
        ),
        "probability": (
            "Probability: the chance, in percent, that the deal is won. It follows the stage's "
            "default unless the owner overrides it; the weighted forecast is amount × probability.",
            "0 to 100.",
        ),
        "stage": ("The sales stage the deal is in; each stage has its exit criteria.", ""),
        "closed_at": ("When the deal was actually won or lost.", "Set by Rapport when it closes."),
        "loss_reason": ("Why a lost deal was lost, chosen when it is closed lost.", ""),
    },
    "activity": {
        "completed_at": (
            "Completed: when the task, call or meeting was actually done. Empty means still to do; "
            "a meeting that did not happen is deleted, not completed.",
            "A date and time, set when someone marks it done.",
        ),
        "due_date": ("The day a task must be done by; overdue after that day ends.", "A date."),
        "occurred_at": ("When the call, meeting or e-mail took place (its start).", "A date and time."),
        "subject": ("A one-line summary anyone can understand without opening it.", "Free text."),
        "call_outcome": ("How a call went (reached, voicemail, no answer, …).", ""),
    },
}


def seed(apps: Any, schema_editor: Any) -> None:
    FieldDefinition = apps.get_model("cleaning", "FieldDefinition")
    for record_type, fields in DEFINITIONS.items():
        for field_name, (definition, allowed) in fields.items():
            FieldDefinition.objects.update_or_create(
                record_type=record_type,
                field_name=field_name,
                defaults={"definition": definition, "allowed_values": allowed},
            )


def unseed(apps: Any, schema_editor: Any) -> None:
    FieldDefinition = apps.get_model("cleaning", "FieldDefinition")
    for record_type, fields in DEFINITIONS.items():
        FieldDefinition.objects.filter(record_type=record_type, field_name__in=list(fields)).delete()


class Migration(migrations.Migration):
    dependencies = [("cleaning", "0001_initial")]

    operations = [migrations.RunPython(seed, unseed)]
