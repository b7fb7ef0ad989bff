"""The picklists every Rapport starts with, with B2B values and their definitions.

Administrators may relabel, reorder, retire or extend them afterwards; seeding only adds what is
missing (by key), so it never undoes their changes.
"""

from __future__ import annotations

from typing import Any, NamedTuple


class DefaultValue(NamedTuple):
    key: str
    label: str
    definition: str
    color: str = ""


class DefaultPicklist(NamedTuple):
    key: str
    name: str
    description: str
    values: tuple[DefaultValue, ...]


V = DefaultValue

DEFAULT_PICKLISTS: tuple[DefaultPicklist, ...] = (
    DefaultPicklist(
        "lead_source",
        "Lead source",
        "Where a lead first came from; set once, when the lead is created.",
        (
            V("website", "Website", "Filled in a form on our website (web-to-lead)."),
            V("referral", "Referral", "Introduced by a customer, partner or colleague."),
            V("event", "Event", "Met at a trade show, conference or our own event."),
            V("webinar", "Webinar", "Registered for or attended one of our webinars."),
            V("cold_call", "Cold call", "Reached by a rep's outbound call without prior contact."),
            V("email_campaign", "Email campaign", "Answered one of our marketing emails."),
            V("partner", "Partner", "Passed to us by a reseller or alliance partner."),
            V("social_media", "Social media", "Came through LinkedIn or another social network."),
            V("advertising", "Advertising", "Clicked or answered a paid advertisement."),
            V("other", "Other", "None of the above; say where in the lead's notes."),
        ),
    ),
    DefaultPicklist(
        "lead_status",
        "Lead status",
        "Where a lead stands in qualification, from first arrival to conversion.",
        (
            V("new", "New", "Arrived and not yet touched by its owner.", "blue"),
            V("working", "Working", "Its owner is trying to reach the contact.", "amber"),
            V(
                "nurturing",
                "Nurturing",
                "Interested but not ready to buy now; stays in touch through marketing.",
                "purple",
            ),
            V(
                "qualified",
                "Qualified",
                "Budget, authority, need and timeline confirmed; ready to convert.",
                "green",
            ),
            V(
                "unqualified",
                "Unqualified",
                "Not a fit (no budget, no need, wrong company); no further work planned.",
                "gray",
            ),
            V(
                "converted",
                "Converted",
                "Became an account, a contact and an opportunity.",
                "teal",
            ),
        ),
    ),
    DefaultPicklist(
        "industry",
        "Industry",
        "The main business of a company, for segmenting accounts and leads.",
        (
            V("software", "Software & IT services", "Makes or sells software or IT services."),
            V("manufacturing", "Manufacturing", "Produces physical goods at scale."),
            V("financial_services", "Financial services", "Banks, insurers, asset managers."),
            V("healthcare", "Healthcare & life sciences", "Care, pharma, medical devices."),
            V("retail", "Retail & consumer goods", "Sells to consumers in stores or online."),
            V("professional_services", "Professional services", "Consulting, legal, accounting."),
            V("education", "Education", "Schools, universities and training providers."),
            V("public_sector", "Public sector", "Government bodies and public agencies."),
            V("energy", "Energy & utilities", "Energy, water or waste services."),
            V("logistics", "Transport & logistics", "Moves and stores goods or people."),
            V("telecommunications", "Telecommunications", "Runs networks or sells connectivity."),
            V("other", "Other", "None of the above."),
        ),
    ),
    DefaultPicklist(
        "title_level",
        "Title level",
        "How senior a contact is, whatever the exact job title says.",
        (
            V("c_level", "C-level", "Chief officer or owner: CEO, CFO, CIO, CTO and the like."),
            V("vp", "VP", "Vice president or head of a business unit."),
            V("director", "Director", "Leads a department or function below the VPs."),
            V("manager", "Manager", "Leads a team or a project."),
            V("staff", "Staff", "An individual contributor without reports."),
        ),
    ),
    DefaultPicklist(
        "decision_timeline",
        "Decision timeline",
        "When the prospect expects to decide, as they told us.",
        (
            V("30_days", "30 days", "Will decide within a month."),
            V("90_days", "90 days", "Will decide within a quarter."),
            V("6_months", "6 months", "Will decide within half a year."),
            V("12_months", "12 months", "Will decide within a year, or later."),
        ),
    ),
    DefaultPicklist(
        "budget_range",
        "Budget range",
        "The yearly budget the prospect has for a solution like ours.",
        (
            V("none", "No budget yet", "No money set aside; a budget would have to be requested."),
            V("under_10k", "Under 10,000", "Less than 10,000 a year."),
            V("10k_50k", "10,000 to 50,000", "From 10,000 to 50,000 a year."),
            V("50k_250k", "50,000 to 250,000", "From 50,000 to 250,000 a year."),
            V("over_250k", "Over 250,000", "More than 250,000 a year."),
        ),
    ),
    DefaultPicklist(
        "authority_level",
        "Authority level",
        "What the contact can do in the buying decision.",
        (
            V("decision_maker", "Decision maker", "Signs or has the final say on the purchase."),
            V("influencer", "Influencer", "Shapes the decision and the shortlist, does not sign."),
            V("recommender", "Recommender", "Evaluates and recommends to the decision maker."),
            V("user", "User", "Will use the product; no say in the purchase."),
            V("gatekeeper", "Gatekeeper", "Controls access to the people who decide."),
        ),
    ),
    DefaultPicklist(
        "loss_reason",
        "Loss reason",
        "Why an opportunity was lost; required when it is closed as lost.",
        (
            V("price", "Price", "Our price or terms were too high for the customer."),
            V("competitor", "Lost to competitor", "The customer chose another vendor."),
            V("no_decision", "No decision", "The customer decided not to buy anything for now."),
            V("no_budget", "No budget", "The money was not there, or was withdrawn."),
            V("product_fit", "Product fit", "Our product lacked something the customer needed."),
            V("timing", "Timing", "The need moved out of the foreseeable future."),
            V("lost_contact", "Lost contact", "The customer stopped answering."),
            V("other", "Other", "None of the above; explain in the opportunity's notes."),
        ),
    ),
    DefaultPicklist(
        "call_outcome",
        "Call outcome",
        "What came of a call, logged with the call.",
        (
            V("connected", "Connected", "Spoke with the person we called.", "green"),
            V("voicemail", "Left voicemail", "Reached voicemail and left a message.", "amber"),
            V("no_answer", "No answer", "Nobody picked up and there was no voicemail.", "gray"),
            V("busy", "Busy", "The line was busy.", "gray"),
            V(
                "wrong_number",
                "Wrong number",
                "The number does not belong to the person; correct the record.",
                "red",
            ),
            V(
                "gatekeeper",
                "Reached gatekeeper",
                "Spoke with an assistant or switchboard, not the person.",
                "blue",
            ),
            V("meeting_booked", "Meeting booked", "Connected and agreed on a meeting.", "teal"),
        ),
    ),
    DefaultPicklist(
        "need_level",
        "Need",
        "How badly the prospect needs a solution like ours.",
        (
            V(
                "critical",
                "Critical",
                "A business problem they must solve; it is costing them now.",
            ),
            V("important", "Important", "On this year's plan, with a named owner."),
            V("nice_to_have", "Nice to have", "Interesting, but nothing breaks without it."),
            V("none", "No need", "They do not see a problem we solve."),
        ),
    ),
    DefaultPicklist(
        "current_solution",
        "Current solution",
        "What the prospect uses today for the problem we solve.",
        (
            V("nothing", "Nothing", "No tool and no process yet."),
            V("spreadsheets", "Spreadsheets", "Spreadsheets, e-mail and goodwill."),
            V("in_house", "In-house system", "Something they built themselves."),
            V("competitor", "Competitor product", "A product of one of our competitors."),
            V("older_version", "Our older product", "An older product of ours."),
        ),
    ),
    DefaultPicklist(
        "company_size",
        "Company size",
        "How many people the prospect's company employs.",
        (
            V("1_50", "1 to 50", "A small business."),
            V("51_200", "51 to 200", "A growing mid-sized business."),
            V("201_1000", "201 to 1,000", "A mid-market company."),
            V("1001_5000", "1,001 to 5,000", "A large company."),
            V("over_5000", "Over 5,000", "An enterprise."),
        ),
    ),
    DefaultPicklist(
        "decision_process",
        "Decision process",
        "How the prospect's company will make the buying decision.",
        (
            V("single_signer", "Single signer", "One person decides and signs."),
            V("committee", "Buying committee", "A group evaluates and decides together."),
            V("tender", "Formal tender", "Procurement runs a tender with set rules and dates."),
            V("board", "Board approval", "The board must approve the purchase."),
            V("unknown", "Not known yet", "We have not found out yet."),
        ),
    ),
    DefaultPicklist(
        "competition",
        "Competition",
        "Who else the prospect is talking to.",
        (
            V("none", "Nobody else", "We are the only vendor in the conversation."),
            V("one", "One other vendor", "One competitor is being considered."),
            V("several", "Several vendors", "A shortlist of three or more."),
            V("incumbent", "Incumbent renewal", "The current vendor is up for renewal."),
        ),
    ),
    DefaultPicklist(
        "user_count",
        "Number of users",
        "How many people would use our product.",
        (
            V("1_10", "1 to 10", "A team."),
            V("11_50", "11 to 50", "A department."),
            V("51_250", "51 to 250", "Several departments."),
            V("over_250", "Over 250", "Company-wide."),
        ),
    ),
    DefaultPicklist(
        "next_step_agreed",
        "Next step agreed",
        "What the prospect agreed to do next at the end of the qualification call.",
        (
            V("demo", "Demo booked", "A product demonstration is in the calendar."),
            V("proposal", "Proposal requested", "They asked for a written proposal."),
            V("call_back", "Call back", "We agreed to call again on a set date."),
            V("none", "Nothing agreed", "No next step was agreed."),
        ),
    ),
    DefaultPicklist(
        "currency",
        "Currency",
        "Currencies amounts may be in; each value's key is its ISO 4217 code.",
        (
            V("EUR", "Euro (EUR)", "The euro."),
            V("USD", "US dollar (USD)", "The United States dollar."),
            V("GBP", "Pound sterling (GBP)", "The British pound."),
            V("CHF", "Swiss franc (CHF)", "The Swiss franc."),
        ),
    ),
    DefaultPicklist(
        "product_family",
        "Product family",
        "Groups products for price lists and reports.",
        (
            V("software", "Software licences", "Subscriptions and licences."),
            V("services", "Professional services", "Implementation, training, consulting."),
            V("support", "Support plans", "Support and maintenance contracts."),
            V("hardware", "Hardware", "Physical devices."),
        ),
    ),
    DefaultPicklist(
        "order_status",
        "Order status",
        "Where an order stands after the deal was won.",
        (
            V("draft", "Draft", "Created from a won opportunity; not yet confirmed.", "gray"),
            V("confirmed", "Confirmed", "Confirmed with the customer.", "blue"),
            V("fulfilled", "Fulfilled", "Delivered or provisioned.", "green"),
            V("invoiced", "Invoiced", "Invoiced to the customer.", "teal"),
            V("cancelled", "Cancelled", "Cancelled before fulfilment.", "red"),
        ),
    ),
)


def ensure_default_picklists(picklist_model: Any, value_model: Any) -> int:
    """Create the default picklists and values that are missing (by key); return how many values
    were created. Takes the models so data migrations can pass their historical ones."""
    created = 0
    for default in DEFAULT_PICKLISTS:
        picklist, _ = picklist_model.objects.get_or_create(
            key=default.key,
            defaults={"name": default.name, "description": default.description},
        )
        existing = set(value_model.objects.filter(picklist=picklist).values_list("key", flat=True))
        missing = [
            value_model(
                picklist=picklist,
                key=value.key,
                label=value.label,
                definition=value.definition,
                color=value.color,
                sort_order=(position + 1) * 10,
            )
            for position, value in enumerate(default.values)
            if value.key not in existing
        ]
        value_model.objects.bulk_create(missing)
        created += len(missing)
    return created
