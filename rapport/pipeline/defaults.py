"""The sales process Rapport starts with: stages and the methodology steps of each.

Administrators change them afterwards (/admin/stages/); `stages_ensure_defaults` only adds what is
missing (by key, and by name within a stage), so it is safe to run again — the data migration and
tests that flush the database both call it.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class DefaultStep:
    name: str
    due_in_days: int
    description: str = ""


@dataclass(frozen=True)
class DefaultStage:
    key: str
    name: str
    customer_label: str
    kind: str
    probability: int
    description: str
    required_fields: tuple[str, ...] = ()
    steps: tuple[DefaultStep, ...] = ()


DEFAULT_STAGES: tuple[DefaultStage, ...] = (
    DefaultStage(
        "prospecting",
        "Prospecting",
        "Researching",
        "open",
        10,
        "We think the account could need us; nobody there has confirmed it yet.",
        steps=(
            DefaultStep(
                "Research the account",
                2,
                "Read their site and news; note who might own the problem we solve.",
            ),
        ),
    ),
    DefaultStage(
        "discovery",
        "Discovery",
        "Exploring options",
        "open",
        20,
        "Someone at the account agreed to talk about a need we can meet.",
        steps=(
            DefaultStep(
                "Discovery call", 3, "Ask about the problem, its cost, and what was tried."
            ),
            DefaultStep(
                "Identify decision makers",
                5,
                "Name who decides, who signs and who recommends; add them as contacts.",
            ),
        ),
    ),
    DefaultStage(
        "solution",
        "Solution & demo",
        "Evaluating",
        "open",
        40,
        "The customer is evaluating our solution against their need.",
        steps=(
            DefaultStep("Run a demo", 5, "Show the two or three things that matter to them."),
            DefaultStep(
                "Send a sample / trial", 7, "Let them try it with their own data or people."
            ),
        ),
    ),
    DefaultStage(
        "proposal",
        "Proposal",
        "Reviewing a proposal",
        "open",
        60,
        "The customer has, or is about to get, our written proposal with a price.",
        required_fields=("amount", "forecast_close_date"),
        steps=(
            DefaultStep("Send proposal", 3, "Price, scope and terms, in writing."),
            DefaultStep(
                "Review proposal with champion",
                5,
                "Walk our champion through it; learn what the decision maker will object to.",
            ),
        ),
    ),
    DefaultStage(
        "negotiation",
        "Negotiation",
        "Agreeing terms",
        "open",
        80,
        "The customer wants to buy; price, terms and paperwork are being settled.",
        steps=(DefaultStep("Agree terms", 7, "Settle price, terms and the signing date."),),
    ),
    DefaultStage(
        "closed_won",
        "Closed won",
        "Purchased",
        "won",
        100,
        "The customer signed.",
    ),
    DefaultStage(
        "closed_lost",
        "Closed lost",
        "Chose another way",
        "lost",
        0,
        "The customer will not buy from us this time; the loss reason says why.",
    ),
)


def stages_ensure_defaults(*, stage_model: Any = None, step_model: Any = None) -> int:
    """Create the default stages and steps that are missing; return how many rows were created.

    Takes the models so the data migration can pass its historical ones. Existing stages and
    steps are left exactly as administrators made them.
    """
    if stage_model is None or step_model is None:
        from rapport.pipeline.models import MethodologyStep, Stage

        stage_model = stage_model or Stage
        step_model = step_model or MethodologyStep
    created = 0
    for position, default in enumerate(DEFAULT_STAGES, start=1):
        stage, made = stage_model.objects.get_or_create(
            key=default.key,
            defaults={
                "name": default.name,
                "customer_label": default.customer_label,
                "kind": default.kind,
                "probability": default.probability,
                "description": default.description,
                "required_fields": list(default.required_fields),
                "sort_order": position * 10,
            },
        )
        created += int(made)
        if not made:
            continue  # an administrator owns this stage's steps now
        step_model.objects.bulk_create(
            step_model(
                stage=stage,
                name=step.name,
                description=step.description,
                due_in_days=step.due_in_days,
                sort_order=(index + 1) * 10,
            )
            for index, step in enumerate(default.steps)
        )
        created += len(default.steps)
    return created
