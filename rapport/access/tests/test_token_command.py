"""`rapport token create|list|revoke` manages personal API tokens from the command line."""

from __future__ import annotations

import io
from datetime import timedelta

import pytest
from django.core.management import CommandError, call_command
from django.utils import timezone

from rapport.access.models import ApiToken, User
from rapport.access.services import api_token_create, api_token_revoke


def _run(*args):
    out, err = io.StringIO(), io.StringIO()
    call_command("token", *args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def test_create_prints_only_the_secret_on_stdout_so_scripts_can_capture_it(rep):
    out, err = _run("create", "--user", rep.email, "--name", "ERP sync")

    secret = out.strip()
    assert out.count("\n") == 1
    token = ApiToken.objects.get(user=rep)
    assert token.key_digest == ApiToken.digest(secret)
    assert token.name == "ERP sync"
    assert token.expires_at is None
    assert "shown only this once" in err


def test_create_finds_the_user_whatever_the_case_of_the_email(rep):
    _run("create", "--user", rep.email.upper())

    assert ApiToken.objects.filter(user=rep).count() == 1


def test_create_sets_an_expiry_in_days(rep):
    before = timezone.now()

    _run("create", "--user", rep.email, "--expires-in-days", "30")

    token = ApiToken.objects.get(user=rep)
    assert token.expires_at is not None
    assert before + timedelta(days=30) <= token.expires_at <= timezone.now() + timedelta(days=30)


def test_create_refuses_an_unknown_user(db):
    with pytest.raises(CommandError, match=r"No user has the e-mail address 'ghost@example\.com'"):
        _run("create", "--user", "ghost@example.com")

    assert not ApiToken.objects.exists()


def test_create_refuses_a_deactivated_user(rep):
    User.objects.filter(pk=rep.pk).update(is_active=False)

    with pytest.raises(CommandError, match="is deactivated"):
        _run("create", "--user", rep.email)

    assert not ApiToken.objects.exists()


@pytest.mark.parametrize(
    ("days", "message"), [("0", "at least 1 day"), ("soon", "not a whole number of days")]
)
def test_create_refuses_a_bad_expiry(rep, days, message):
    with pytest.raises(CommandError, match=message):
        _run("create", "--user", rep.email, "--expires-in-days", days)

    assert not ApiToken.objects.exists()


def test_list_shows_each_token_with_its_status_but_never_a_secret(rep):
    active = api_token_create(acting_user=rep, user=rep, name="ERP sync")
    revoked = api_token_create(acting_user=rep, user=rep, name="Old laptop")
    api_token_revoke(acting_user=rep, token=revoked.token)

    out, _err = _run("list", "--user", rep.email)

    lines = out.strip().splitlines()
    assert len(lines) == 2
    assert lines[0].startswith(f"{active.token.pk}\t{active.token.key_prefix}…\tactive")
    assert lines[1].startswith(f"{revoked.token.pk}\t{revoked.token.key_prefix}…\trevoked")
    assert active.secret not in out
    assert revoked.secret not in out


def test_list_says_so_when_there_are_no_tokens(rep):
    out, err = _run("list", "--user", rep.email)

    assert out == ""
    assert "has no API tokens" in err


def test_revoke_revokes_the_token_at_once(rep):
    new = api_token_create(acting_user=rep, user=rep, name="ERP sync")

    out, _err = _run("revoke", "--id", str(new.token.pk))

    assert f"Revoked token {new.token.pk}" in out
    assert ApiToken.objects.get(pk=new.token.pk).revoked_at is not None
    assert ApiToken.objects.usable().count() == 0


def test_revoking_twice_keeps_the_first_revocation_time(rep):
    new = api_token_create(acting_user=rep, user=rep, name="ERP sync")
    _run("revoke", "--id", str(new.token.pk))
    first = ApiToken.objects.get(pk=new.token.pk).revoked_at

    out, _err = _run("revoke", "--id", str(new.token.pk))

    assert "already revoked" in out
    assert ApiToken.objects.get(pk=new.token.pk).revoked_at == first


def test_revoke_refuses_an_unknown_id(db):
    with pytest.raises(CommandError, match="No API token has the id 999"):
        _run("revoke", "--id", "999")
