"""Passwords are hashed with Argon2."""

from __future__ import annotations

from rapport.access.models import User

# The suite swaps in MD5 for speed (conftest.py); this is what the application itself configures.
CONFIGURED_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]


def test_the_configured_first_hasher_is_argon2():
    from rapport import settings as rapport_settings

    assert rapport_settings.PASSWORD_HASHERS[0] == CONFIGURED_HASHERS[0]


def test_a_new_password_is_stored_as_an_argon2_hash(db, settings):
    settings.PASSWORD_HASHERS = CONFIGURED_HASHERS

    user = User.objects.create_user(
        email="hash@example.com", password="a-long-passphrase", first_name="H", last_name="A"
    )

    stored = User.objects.get(pk=user.pk).password
    assert stored.startswith("argon2$argon2id$")
    assert "a-long-passphrase" not in stored
    assert user.check_password("a-long-passphrase")


def test_an_older_hash_is_upgraded_to_argon2_at_the_next_sign_in(db, settings):
    settings.PASSWORD_HASHERS = list(reversed(CONFIGURED_HASHERS))
    user = User.objects.create_user(
        email="old@example.com", password="a-long-passphrase", first_name="O", last_name="L"
    )
    assert user.password.startswith("pbkdf2_sha256$")

    settings.PASSWORD_HASHERS = CONFIGURED_HASHERS
    assert user.check_password("a-long-passphrase")

    assert User.objects.get(pk=user.pk).password.startswith("argon2$")
