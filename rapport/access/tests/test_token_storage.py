"""API tokens are stored only as a SHA-256 digest; the secret is shown once."""

from __future__ import annotations

import hashlib
from datetime import timedelta

import pytest
from django.db import connection
from django.utils import timezone

from rapport.access.models import ApiToken
from rapport.access.services import api_token_create


def test_only_the_sha256_digest_of_the_secret_is_stored(rep):
    new = api_token_create(acting_user=rep, user=rep, name="ERP sync")

    stored = ApiToken.objects.get(pk=new.token.pk)

    assert stored.key_digest == hashlib.sha256(new.secret.encode()).hexdigest()


def test_no_column_of_the_token_table_holds_the_secret(rep):
    new = api_token_create(acting_user=rep, user=rep, name="ERP sync")

    with connection.cursor() as cursor:
        cursor.execute(f"SELECT * FROM {ApiToken._meta.db_table}")  # noqa: S608
        rows = cursor.fetchall()

    assert rows
    assert not any(new.secret in str(value) for row in rows for value in row)


def test_the_prefix_shown_to_tell_tokens_apart_is_the_start_of_the_secret(rep):
    new = api_token_create(acting_user=rep, user=rep, name="ERP sync")

    assert new.secret.startswith("rpt_")
    assert new.token.key_prefix == new.secret[:10]
    assert len(new.secret) > 40


def test_every_token_gets_a_different_secret(rep):
    secrets = {api_token_create(acting_user=rep, user=rep, name=f"t{n}").secret for n in range(5)}

    assert len(secrets) == 5


def test_an_expiry_in_the_past_is_refused(rep):
    with pytest.raises(ValueError, match="must be in the future"):
        api_token_create(
            acting_user=rep, user=rep, name="Late", expires_at=timezone.now() - timedelta(hours=1)
        )

    assert not ApiToken.objects.filter(user=rep).exists()


def test_a_blank_name_is_refused(rep):
    with pytest.raises(ValueError, match="name"):
        api_token_create(acting_user=rep, user=rep, name="   ")

    assert not ApiToken.objects.filter(user=rep).exists()
