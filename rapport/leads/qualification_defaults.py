"""The ten qualification questions every Rapport starts with, in the order a rep asks them.

Each points at a picklist seeded by rapport.core.picklist_defaults (its values are the answers).
Seeding only adds the questions that are missing (by key), so it never undoes an admin's edits.
"""

from __future__ import annotations

from typing import Any, NamedTuple


class DefaultQuestion(NamedTuple):
    key: str
    picklist_key: str
    text: str
    help_text: str


Q = DefaultQuestion

DEFAULT_QUESTIONS: tuple[DefaultQuestion, ...] = (
    Q(
        "need_level",
        "need_level",
        "Need: how badly do they need a solution like ours?",
        "Ask what happens if they do nothing. A critical need is costing them today.",
    ),
    Q(
        "budget_range",
        "budget_range",
        "Budget: how much have they set aside per year?",
        "Ask whether money is set aside, and how much; 'no budget yet' is an answer too.",
    ),
    Q(
        "decision_timeline",
        "decision_timeline",
        "Decision timeline: when will they decide?",
        "Ask when they want the solution working, then count back to the decision.",
    ),
    Q(
        "authority_level",
        "authority_level",
        "Authority: what is this person's part in the decision?",
        "Ask who else signs off; a rep who only talks to users rarely closes.",
    ),
    Q(
        "decision_process",
        "decision_process",
        "Decision process: how will the company decide?",
        "Ask how they bought the last tool of this size: a committee, a tender, the board?",
    ),
    Q(
        "current_solution",
        "current_solution",
        "Current solution: what do they use today?",
        "What they use today is what we replace, and what they compare us with.",
    ),
    Q(
        "competition",
        "competition",
        "Competition: who else are they talking to?",
        "Knowing the shortlist early lets the rep position against it.",
    ),
    Q(
        "company_size",
        "company_size",
        "Company size: how many people does the company employ?",
        "Sets the segment, the price list and who in our team takes the deal.",
    ),
    Q(
        "user_count",
        "user_count",
        "Users: how many people would use our product?",
        "Drives the size of the deal.",
    ),
    Q(
        "next_step_agreed",
        "next_step_agreed",
        "Next step: what did they agree to do next?",
        "A call without an agreed next step is a call to repeat.",
    ),
)


def ensure_default_questions(question_model: Any, picklist_model: Any) -> int:
    """Create the default questions that are missing (by key); return how many were created.

    Takes the models so a data migration can pass its historical ones. A question whose picklist
    does not exist is skipped (the picklist seeding runs first, so this only happens if an admin
    removed the list).
    """
    existing = set(question_model.objects.values_list("key", flat=True))
    picklists = {p.key: p for p in picklist_model.objects.all()}
    missing = [
        question_model(
            key=default.key,
            text=default.text,
            help_text=default.help_text,
            picklist=picklists[default.picklist_key],
            sort_order=(position + 1) * 10,
        )
        for position, default in enumerate(DEFAULT_QUESTIONS)
        if default.key not in existing and default.picklist_key in picklists
    ]
    question_model.objects.bulk_create(missing)
    return len(missing)
