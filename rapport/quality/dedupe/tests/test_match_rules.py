"""Matching rules: administrators tune the threshold and the weights per record type (service,
page and API), preview the effect on the review queue, and the entry check follows them."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from rest_framework.test import APIClient

from rapport.access import crud
from rapport.access.models import User
from rapport.core.models import AuditEntry
from rapport.customers.models import Contact
from rapport.quality.dedupe import matching
from rapport.quality.dedupe.models import DuplicatePair, MatchRule
from rapport.quality.dedupe.rules import (
    match_rule_preview,
    match_rule_set,
    match_rule_settings,
    signals_of,
)
from rapport.quality.dedupe.services import check_duplicates, rule_for

pytestmark = pytest.mark.django_db


def signed_in(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client


def api_as(user: User) -> APIClient:
    client = APIClient()
    client.force_authenticate(user)
    return client


def contact(owner: User, **values: Any) -> Contact:
    made: Contact = crud.record_create(record_type="contact", acting_user=owner, values=values)
    return made


def pair(a: Contact, b: Contact, status: str = DuplicatePair.Status.OPEN) -> DuplicatePair:
    return DuplicatePair.objects.create(
        record_type="contact",
        object_id=a.pk,
        other_type="contact",
        other_id=b.pk,
        score=0.9,
        status=status,
    )


def small_queue(owner: User) -> None:
    """Three pairs: e-mail and name (0.97), phone and name (0.92), and one marked "not a
    duplicate" sharing only an e-mail under two first names (0.38)."""
    pair(
        contact(owner, first_name="Ann", last_name="Lee", email="ann@acme.com"),
        contact(owner, first_name="Ann", last_name="Lee", email="ann@acme.com"),
    )
    pair(
        contact(owner, first_name="Bob", last_name="Stone", phone="+49 30 12345678"),
        contact(owner, first_name="Bob", last_name="Stone", phone="+49 30 12345678"),
    )
    pair(
        contact(owner, first_name="Carl", last_name="Marx", email="office@marx.de"),
        contact(owner, first_name="Eva", last_name="Marx", email="office@marx.de"),
        status=DuplicatePair.Status.NOT_DUPLICATE,
    )


# --- the service ------------------------------------------------------------------------------


def test_only_weights_that_differ_from_the_defaults_are_stored(admin_user: User) -> None:
    rule = match_rule_set(
        record_type="contact",
        threshold=0.8,
        weights={"phone": 2.0, "email": matching.DEFAULT_WEIGHTS.email},
        active=True,
        acting_user=admin_user,
    )
    assert rule.weights == {"phone": 2.0}
    threshold, weights, active = rule_for("lead")  # leads follow the contact rule
    assert (threshold, weights.phone, weights.email, active) == (0.8, 2.0, 4.0, True)
    settings = match_rule_settings("contact")
    assert settings.overrides == {"phone": 2.0}
    assert settings.weights["email"] == matching.DEFAULT_WEIGHTS.email


@pytest.mark.parametrize("threshold", [0.01, 1.0, 0.995, float("nan"), "0.7", None, True])
def test_a_threshold_out_of_range_is_refused_naming_the_field_and_the_rule(
    admin_user: User, threshold: Any
) -> None:
    with pytest.raises(ValidationError) as refused:
        match_rule_set(
            record_type="account",
            threshold=threshold,
            weights={},
            active=True,
            acting_user=admin_user,
        )
    assert refused.value.message_dict == {
        "threshold": [
            "The threshold of the accounts rule must be a number between 0.05 and 0.99 (5% to 99%)."
        ]
    }
    assert not MatchRule.objects.exists()


@pytest.mark.parametrize("weight", [10.5, -11, float("inf"), "2", True])
def test_a_weight_out_of_range_is_refused_naming_the_signal_and_the_rule(
    admin_user: User, weight: Any
) -> None:
    with pytest.raises(ValidationError) as refused:
        match_rule_set(
            record_type="contact",
            threshold=0.7,
            weights={"phone": weight, "email": 3.0},
            active=True,
            acting_user=admin_user,
        )
    assert refused.value.message_dict == {
        "weights.phone": [
            "The weight of “Same phone” in the contacts and leads rule must be a number between "
            "-10 and 10."
        ]
    }
    assert not MatchRule.objects.exists()


def test_the_limits_themselves_are_allowed(admin_user: User) -> None:
    rule = match_rule_set(
        record_type="contact",
        threshold=0.05,
        weights={"phone": 10, "bias": -10},
        active=True,
        acting_user=admin_user,
    )
    assert (rule.threshold, rule.weights) == (0.05, {"bias": -10.0, "phone": 10.0})


def test_unknown_signals_are_refused_by_name(admin_user: User) -> None:
    with pytest.raises(ValidationError) as refused:
        match_rule_set(
            record_type="account",
            threshold=0.7,
            weights={"shoe_size": 1.0, "household": -2.0, "phone": 2.0},
            active=True,
            acting_user=admin_user,
        )
    (message,) = refused.value.message_dict["weights"]
    assert message.startswith("The accounts rule has no signal named household, shoe_size;")
    assert "its signals are email, phone, name, other_last_name, address, bias." in message


def test_a_type_without_a_rule_is_refused(admin_user: User) -> None:
    with pytest.raises(ValidationError) as refused:
        match_rule_set(
            record_type="opportunity",
            threshold=0.7,
            weights={},
            active=True,
            acting_user=admin_user,
        )
    assert list(refused.value.message_dict) == ["record_type"]


def test_saving_writes_an_audit_entry_and_an_unchanged_save_none(admin_user: User) -> None:
    rule = match_rule_set(
        record_type="contact",
        threshold=0.8,
        weights={"phone": 2.0},
        active=True,
        acting_user=admin_user,
    )
    created = AuditEntry.objects.for_record("match_rule", rule.pk).get()
    assert created.action == AuditEntry.Action.CREATE
    assert created.actor == admin_user
    assert created.changes["threshold"] == {"old": None, "new": 0.8}
    assert created.changes["weights"] == {"old": None, "new": {"phone": 2.0}}

    match_rule_set(
        record_type="contact",
        threshold=0.75,
        weights={"phone": 2.0},
        active=False,
        acting_user=admin_user,
    )
    changed = AuditEntry.objects.for_record("match_rule", rule.pk).first()
    assert changed is not None
    assert changed.action == AuditEntry.Action.UPDATE
    assert changed.changes == {
        "active": {"old": True, "new": False},
        "threshold": {"old": 0.8, "new": 0.75},
    }

    match_rule_set(
        record_type="contact",
        threshold=0.75,
        weights={"phone": 2.0},
        active=False,
        acting_user=admin_user,
    )
    assert AuditEntry.objects.for_record("match_rule", rule.pk).count() == 2

    match_rule_set(
        record_type="contact",
        threshold=0.75,
        weights={"address": 2.0},
        active=False,
        acting_user=admin_user,
    )
    weights_changed = AuditEntry.objects.for_record("match_rule", rule.pk).first()
    assert weights_changed is not None
    assert weights_changed.changes == {"weights": {"old": {"phone": 2.0}, "new": {"address": 2.0}}}


def test_a_non_administrator_is_refused_and_nothing_changes(rep: User) -> None:
    MatchRule.objects.create(record_type="contact", threshold=0.8)
    with pytest.raises(PermissionDenied, match="Only administrators change"):
        match_rule_set(
            record_type="contact", threshold=0.5, weights={}, active=True, acting_user=rep
        )
    assert MatchRule.objects.get().threshold == 0.8
    assert not AuditEntry.objects.filter(record_type="match_rule").exists()


def test_the_entry_check_honours_a_changed_weight_and_threshold(
    rep: User, admin_user: User
) -> None:
    contact(rep, first_name="Ann", last_name="Lee", email="ann@acme.com")
    # The same name and e-mail name at another domain: 0.62 by default, below 0.7.
    moved = Contact(first_name="Ann", last_name="Lee", email="ann@other.org", owner=rep)
    assert check_duplicates("contact", moved, viewer=rep) == []

    match_rule_set(
        record_type="contact",
        threshold=0.7,
        weights={"email_local": 3.0},
        active=True,
        acting_user=admin_user,
    )
    (candidate,) = check_duplicates("contact", moved, viewer=rep)
    assert candidate.score == pytest.approx(0.9241, abs=1e-4)

    match_rule_set(
        record_type="contact",
        threshold=0.95,
        weights={"email_local": 3.0},
        active=True,
        acting_user=admin_user,
    )
    assert check_duplicates("contact", moved, viewer=rep) == []


def test_the_preview_counts_the_pairs_that_stay_and_drop(admin_user: User) -> None:
    small_queue(admin_user)
    at_default = match_rule_preview(record_type="contact", threshold=0.7, weights={})
    assert (at_default.open_pairs, at_default.stay, at_default.drop) == (2, 2, 0)
    assert (at_default.rejected_pairs, at_default.rejected_above) == (1, 0)

    stricter = match_rule_preview(record_type="contact", threshold=0.95, weights={})
    assert (stricter.open_pairs, stricter.stay, stricter.drop) == (2, 1, 1)

    # No penalty for another first name: the office address pair would score 0.73.
    lenient = match_rule_preview(
        record_type="contact", threshold=0.7, weights={"other_first_name": 0}
    )
    assert (lenient.rejected_pairs, lenient.rejected_above) == (1, 1)
    assert not lenient.capped
    assert not MatchRule.objects.exists()  # a preview saves nothing


def test_the_preview_ignores_the_other_rules_pairs_and_gone_records(admin_user: User) -> None:
    small_queue(admin_user)
    gone = Contact.objects.filter(first_name="Bob").first()
    assert gone is not None
    gone.delete()
    preview = match_rule_preview(record_type="contact", threshold=0.7, weights={})
    assert preview.open_pairs == 1
    assert match_rule_preview(record_type="account", threshold=0.7, weights={}).open_pairs == 0


def test_the_preview_loads_records_set_based(admin_user: User) -> None:
    small_queue(admin_user)
    with CaptureQueriesContext(connection) as few:
        match_rule_preview(record_type="contact", threshold=0.7, weights={})
    small_queue(admin_user)
    small_queue(admin_user)
    with CaptureQueriesContext(connection) as many:
        match_rule_preview(record_type="contact", threshold=0.7, weights={})
    assert len(many) == len(few)


def test_the_preview_refuses_what_saving_refuses() -> None:
    with pytest.raises(ValidationError) as refused:
        match_rule_preview(record_type="contact", threshold=2, weights={"phone": 99})
    assert set(refused.value.message_dict) == {"threshold", "weights.phone"}


def test_every_signal_has_a_label_and_an_explanation() -> None:
    for record_type in ("contact", "account"):
        for signal in signals_of(record_type):
            assert signal.explanation, (record_type, signal.name)
            assert signal.default == getattr(matching.DEFAULT_WEIGHTS, signal.name)


# --- the page ---------------------------------------------------------------------------------

RULES_URL = "/quality/duplicates/rules/"


def test_the_page_shows_both_rules_with_labels_defaults_and_current_values(
    admin_user: User,
) -> None:
    MatchRule.objects.create(record_type="account", threshold=0.85, weights={"phone": 1.25})
    response = signed_in(admin_user).get(RULES_URL)
    assert response.status_code == 200
    html = response.content.decode()
    assert "Contacts and leads" in html
    assert "Accounts" in html
    assert "Same web domain" in html  # the account reading of `email`
    assert "Bob and Robert" in html  # a one-line explanation
    assert 'id="rule-account-threshold" name="threshold"' in html
    assert 'value="85"' in html
    assert (
        'id="rule-account-w_phone" name="w_phone" min="-10" max="10" step="any" value="1.25"'
        in (html)
    )
    assert 'id="rule-contact-w_phone" name="w_phone" min="-10" max="10" step="any" value="3"' in (
        html
    )
    assert "style=" not in html
    assert "<script>" not in html  # CSP: no inline scripts


def test_a_rep_gets_a_403_and_nothing_changes(rep: User) -> None:
    client = signed_in(rep)
    assert client.get(RULES_URL).status_code == 403
    response = client.post(f"{RULES_URL}contact/", {"threshold": "50", "active": "on"})
    assert response.status_code == 403
    assert client.post(f"{RULES_URL}contact/reset/").status_code == 403
    assert client.post(f"{RULES_URL}contact/preview/", {"threshold": "50"}).status_code == 403
    assert not MatchRule.objects.exists()


def test_the_queue_links_the_rules_for_administrators_only(admin_user: User, rep: User) -> None:
    assert (
        f'href="{RULES_URL}"' in signed_in(admin_user).get("/quality/duplicates/").content.decode()
    )
    assert f'href="{RULES_URL}"' not in signed_in(rep).get("/quality/duplicates/").content.decode()


def _form(**changes: str) -> dict[str, str]:
    values = {"active": "on", "threshold": "70"}
    values |= {f"w_{s.name}": f"{s.default:g}" for s in signals_of("contact")}
    values |= changes
    return {k: v for k, v in values.items() if v != "-"}


def test_saving_on_the_page_stores_the_rule(admin_user: User) -> None:
    response = signed_in(admin_user).post(
        f"{RULES_URL}contact/", _form(threshold="82.5", w_phone="2", active="-")
    )
    assert response.status_code == 302
    assert response["Location"] == RULES_URL
    rule = MatchRule.objects.get(record_type="contact")
    assert (rule.threshold, rule.weights, rule.active) == (0.825, {"phone": 2.0}, False)


def test_errors_are_shown_next_to_their_field_and_nothing_is_saved(admin_user: User) -> None:
    response = signed_in(admin_user).post(
        f"{RULES_URL}contact/", _form(threshold="150", w_phone="12", w_email="lots")
    )
    assert response.status_code == 400
    html = response.content.decode()
    assert "Give the weight of “Same e-mail” in the contacts and leads rule as a number" in html
    assert 'value="lots"' in html  # what was typed stays
    assert not MatchRule.objects.exists()

    response = signed_in(admin_user).post(
        f"{RULES_URL}contact/", _form(threshold="150", w_phone="12")
    )
    html = response.content.decode()
    assert response.status_code == 400
    assert "The threshold of the contacts and leads rule must be a number between" in html
    assert "The weight of “Same phone” in the contacts and leads rule must be" in html
    assert html.count('class="field-error"') == 2
    assert not MatchRule.objects.exists()


def test_the_preview_button_shows_the_numbers(admin_user: User) -> None:
    small_queue(admin_user)
    response = signed_in(admin_user).post(
        f"{RULES_URL}contact/preview/", _form(threshold="95"), HTTP_HX_REQUEST="true"
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert "<html" not in html  # the partial only
    assert "<strong>1</strong> would stay proposed at 95% and <strong>1</strong> would drop" in html
    assert not MatchRule.objects.exists()


def test_the_preview_button_says_what_is_wrong(admin_user: User) -> None:
    response = signed_in(admin_user).post(f"{RULES_URL}contact/preview/", _form(threshold="2"))
    assert response.status_code == 200
    assert "The threshold of the contacts and leads rule must be" in response.content.decode()


def test_reset_puts_the_defaults_back(admin_user: User) -> None:
    match_rule_set(
        record_type="account",
        threshold=0.9,
        weights={"phone": 1.0},
        active=False,
        acting_user=admin_user,
    )
    response = signed_in(admin_user).post(f"{RULES_URL}account/reset/", HTTP_HX_REQUEST="true")
    assert response.status_code == 200
    assert response["HX-Redirect"] == RULES_URL
    rule = MatchRule.objects.get(record_type="account")
    assert (rule.threshold, rule.weights, rule.active) == (matching.DEFAULT_THRESHOLD, {}, True)


def test_an_unknown_type_is_a_404(admin_user: User) -> None:
    assert signed_in(admin_user).post(f"{RULES_URL}lead/", _form()).status_code == 404


# --- the API ----------------------------------------------------------------------------------

API_URL = "/api/v1/duplicate-rules/"


def test_everyone_signed_in_reads_the_rules_with_their_defaults(rep: User) -> None:
    MatchRule.objects.create(record_type="contact", threshold=0.8, weights={"phone": 2.0})
    response = api_as(rep).get(API_URL)
    assert response.status_code == 200
    contact_rule, account_rule = response.json()
    assert contact_rule["record_type"] == "contact"
    assert contact_rule["threshold"] == 0.8
    assert contact_rule["default_threshold"] == matching.DEFAULT_THRESHOLD
    assert contact_rule["weights"]["phone"] == 2.0
    assert contact_rule["default_weights"]["phone"] == matching.DEFAULT_WEIGHTS.phone
    assert contact_rule["overrides"] == {"phone": 2.0}
    assert account_rule["record_type"] == "account"
    assert "household" not in account_rule["weights"]
    assert api_as(rep).get(f"{API_URL}account/").json()["label"] == "Accounts"
    assert APIClient().get(API_URL).status_code == 401


def test_a_rep_may_not_change_or_preview_a_rule(rep: User) -> None:
    client = api_as(rep)
    body = {"threshold": 0.5, "active": True, "weights": {}}
    for response in (
        client.put(f"{API_URL}contact/", body, format="json"),
        client.patch(f"{API_URL}contact/", {"threshold": 0.5}, format="json"),
        client.post(f"{API_URL}contact/preview/", {"threshold": 0.5}, format="json"),
    ):
        assert response.status_code == 403
        assert "Only administrators change" in response.json()["error"]["message"]
    assert not MatchRule.objects.exists()


def test_put_patch_and_get_round_trip(admin_user: User) -> None:
    client = api_as(admin_user)
    response = client.put(
        f"{API_URL}contact/",
        {"threshold": 0.8, "active": True, "weights": {"phone": 2.0, "email": 4.0}},
        format="json",
    )
    assert response.status_code == 200
    assert response.json()["overrides"] == {"phone": 2.0}

    response = client.patch(f"{API_URL}contact/", {"weights": {"address": 2.5}}, format="json")
    assert response.status_code == 200
    assert response.json()["overrides"] == {"address": 2.5, "phone": 2.0}  # merged
    assert response.json()["threshold"] == 0.8

    client.put(f"{API_URL}contact/", {"threshold": 0.75, "active": False}, format="json")
    read = client.get(f"{API_URL}contact/").json()
    assert (read["threshold"], read["active"], read["overrides"]) == (0.75, False, {})
    assert AuditEntry.objects.filter(record_type="match_rule").count() == 3


def test_an_invalid_write_names_the_fields(admin_user: User) -> None:
    response = api_as(admin_user).put(
        f"{API_URL}account/",
        {"threshold": 1.5, "active": True, "weights": {"phone": 20, "nickname": 1}},
        format="json",
    )
    assert response.status_code == 400
    fields = response.json()["error"]["fields"]
    assert set(fields) == {"threshold", "weights", "weights.phone"}
    assert "nickname" in fields["weights"][0]
    assert not MatchRule.objects.exists()


def test_the_preview_endpoint_counts_without_saving(admin_user: User) -> None:
    small_queue(admin_user)
    response = api_as(admin_user).post(
        f"{API_URL}contact/preview/", {"threshold": 0.95}, format="json"
    )
    assert response.status_code == 200
    assert response.json() == {
        "record_type": "contact",
        "threshold": 0.95,
        "open_pairs": 2,
        "stay": 1,
        "drop": 1,
        "rejected_pairs": 1,
        "rejected_above": 0,
        "capped": False,
    }
    assert not MatchRule.objects.exists()


def test_a_type_without_a_rule_is_a_404(admin_user: User) -> None:
    assert api_as(admin_user).get(f"{API_URL}lead/").status_code == 404


# --- in a browser -----------------------------------------------------------------------------


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
@pytest.mark.browser
def test_an_administrator_previews_saves_and_resets_in_a_browser(
    page: Any, live_server: Any, admin_user: User, screenshot: Any, browser_problems: Any
) -> None:
    small_queue(admin_user)
    page.goto(f"{live_server.url}/login/")
    page.get_by_label("E-mail").fill(admin_user.email)
    page.get_by_label("Password").fill("correct-horse-battery")
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url(f"{live_server.url}/")

    page.goto(f"{live_server.url}/quality/duplicates/")
    page.get_by_role("link", name="Matching rules").click()
    page.wait_for_url(f"{live_server.url}{RULES_URL}")
    contacts = page.get_by_role("region", name="Contacts and leads")
    contacts.get_by_label("Threshold (%)").fill("95")
    contacts.get_by_role("button", name="Preview").click()
    status = contacts.get_by_role("status")
    status.wait_for()
    assert "1 would stay proposed at 95% and 1 would drop out" in " ".join(
        status.inner_text().split()
    )
    screenshot("match-rules-01-preview")

    contacts.get_by_label("Same phone").fill("2")
    contacts.get_by_role("button", name="Save").click()
    page.get_by_text("The matching rule for contacts and leads is saved.").wait_for()
    rule = MatchRule.objects.get(record_type="contact")
    assert (rule.threshold, rule.weights) == (0.95, {"phone": 2.0})

    page.once("dialog", lambda dialog: dialog.accept())
    page.get_by_role("region", name="Contacts and leads").get_by_role(
        "button", name="Reset to defaults"
    ).click()
    page.get_by_text("back to its defaults").wait_for()
    rule.refresh_from_db()
    assert (rule.threshold, rule.weights) == (matching.DEFAULT_THRESHOLD, {})
    screenshot("match-rules-02-reset")
    assert page.evaluate("window.__cspViolations") == []
    assert browser_problems.console_errors == []
    assert browser_problems.page_errors == []
