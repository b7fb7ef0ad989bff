"""What an admin copies into a web site: the public addresses of a form, an HTML snippet to
embed, and an example `curl` for the JSON endpoint."""

from __future__ import annotations

import json
from typing import Any

from django.urls import reverse
from django.utils.html import escape

from rapport.leads import services
from rapport.leads.models import Lead, QualificationQuestion, WebForm
from rapport.leads.selectors import answer_options


def _absolute(request: Any, path: str) -> str:
    return request.build_absolute_uri(path) if request is not None else path


def public_form_url(request: Any, form: WebForm) -> str:
    """The hosted form page, which the snippet posts to as well."""
    return _absolute(request, reverse("leads:web-form-public", args=[form.key]))


def json_endpoint_url(request: Any, form: WebForm) -> str:
    return _absolute(request, reverse("api:web-to-lead-list", kwargs={"key": form.key}))


def field_label(name: str) -> str:
    field = Lead._meta.get_field(name)
    return str(getattr(field, "verbose_name", name)).capitalize()


def answer_field_name(question: QualificationQuestion) -> str:
    """The name of a question's field in an HTML form."""
    return f"answer_{question.key}"


def html_snippet(request: Any, form: WebForm) -> str:
    """A plain `<form>` posting to the hosted page: no script, works on any site."""
    questions = list(form.questions.filter(is_active=True).order_by("sort_order"))
    options = answer_options(questions)
    lines = [
        f'<form method="post" action="{escape(public_form_url(request, form))}">',
    ]
    for name in form.fields:
        required = " required" if name in form.required_fields else ""
        kind = {"email": "email", "website": "url", "phone": "tel"}.get(name, "text")
        label = escape(field_label(name))
        if name == "description":
            control = f'<textarea name="{name}"{required}></textarea>'
        else:
            control = f'<input type="{kind}" name="{name}"{required}>'
        lines.append(f"  <label>{label} {control}</label>")
    for question in questions:
        lines.append(f"  <label>{escape(question.text)}")
        lines.append(f'    <select name="{answer_field_name(question)}">')
        lines.append('      <option value="">—</option>')
        for value in options.get(question.picklist_id, []):
            lines.append(
                f'      <option value="{escape(value.key)}">{escape(value.label)}</option>'
            )
        lines.append("    </select>")
        lines.append("  </label>")
    lines.append(
        "  <!-- Leave this field hidden and empty: bots fill it in, people never see it. -->"
    )
    lines.append(
        f'  <div aria-hidden="true" hidden><input type="text" name="{services.HONEYPOT_FIELD}" '
        'tabindex="-1" autocomplete="off"></div>'
    )
    lines.append('  <button type="submit">Send</button>')
    lines.append("</form>")
    return "\n".join(lines)


def curl_example(request: Any, form: WebForm) -> str:
    """An example request to the JSON endpoint with every field the form asks for."""
    body: dict[str, Any] = {}
    samples = {
        "first_name": "Ada",
        "last_name": "Lovelace",
        "email": "ada@example.com",
        "company": "Analytical Engines Ltd",
        "job_title": "Head of Research",
        "phone": "+44 20 7946 0000",
        "website": "https://example.com",
        "city": "London",
        "country": "GB",
        "description": "Please call me about pricing.",
    }
    for name in form.fields:
        body[name] = samples.get(name, "…")
    questions = list(form.questions.filter(is_active=True).order_by("sort_order"))
    options = answer_options(questions)
    answers = {
        q.key: options[q.picklist_id][0].key for q in questions if options.get(q.picklist_id)
    }
    if answers:
        body["answers"] = answers
    payload = json.dumps(body, indent=2, ensure_ascii=False)
    return (
        f"curl -X POST '{json_endpoint_url(request, form)}' \\\n"
        "  -H 'Content-Type: application/json' \\\n"
        f"  -d '{payload}'"
    )
