"""`rapport token create|list|revoke`: personal API tokens from the command line.

`create` prints the secret alone on the last line of stdout, so scripts can capture it with
`rapport token create --user a@b.c | tail -n 1`.
"""

from __future__ import annotations

import argparse
from datetime import timedelta
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from rapport.access.models import ApiToken, User
from rapport.access.services import api_token_create, api_token_revoke


def _positive_int(value: str) -> int:
    try:
        number = int(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{value!r} is not a whole number of days.") from None
    if number < 1:
        raise argparse.ArgumentTypeError(f"must be at least 1 day, not {number}.")
    return number


def _user(email: str) -> User:
    user = User.objects.filter(email__iexact=email.strip()).first()
    if user is None:
        raise CommandError(f"No user has the e-mail address {email!r}.")
    return user


class Command(BaseCommand):
    help = "Create, list and revoke personal API tokens."

    def add_arguments(self, parser: CommandParser) -> None:
        actions = parser.add_subparsers(dest="action", required=True, metavar="create|list|revoke")

        create = actions.add_parser("create", help="Create a token and print its secret once.")
        create.add_argument("--user", required=True, metavar="EMAIL", help="Whose token it is.")
        create.add_argument(
            "--name", default="Command line", help="What the token is for (default: %(default)s)."
        )
        create.add_argument(
            "--expires-in-days",
            type=_positive_int,
            default=None,
            metavar="N",
            help="Expire the token after N days (default: never).",
        )

        listing = actions.add_parser("list", help="List a user's tokens (never their secrets).")
        listing.add_argument("--user", required=True, metavar="EMAIL", help="Whose tokens to list.")

        revoke = actions.add_parser("revoke", help="Revoke a token at once.")
        revoke.add_argument("--id", required=True, type=int, dest="token_id", help="The token id.")

    def handle(self, *args: Any, **options: Any) -> None:
        action = options["action"]
        if action == "create":
            self._create(options)
        elif action == "list":
            self._list(options)
        else:
            self._revoke(options)

    def _create(self, options: dict[str, Any]) -> None:
        user = _user(options["user"])
        if not user.is_active:
            raise CommandError(f"{user.email} is deactivated and cannot get API tokens.")
        days = options["expires_in_days"]
        expires_at = timezone.now() + timedelta(days=days) if days else None
        try:
            new = api_token_create(
                acting_user=None, user=user, name=options["name"], expires_at=expires_at
            )
        except ValueError as error:
            raise CommandError(str(error)) from None
        expiry = f"expires {expires_at:%Y-%m-%d %H:%M %Z}" if expires_at else "never expires"
        self.stderr.write(
            f"Token {new.token.pk} ({new.token.key_prefix}…) for {user.email}, {expiry}. "
            "The secret below is shown only this once:"
        )
        self.stdout.write(new.secret)

    def _list(self, options: dict[str, Any]) -> None:
        user = _user(options["user"])
        tokens = ApiToken.objects.filter(user=user).order_by("created_at", "pk")
        if not tokens:
            self.stderr.write(f"{user.email} has no API tokens.")
            return
        for token in tokens:
            expires = f"{token.expires_at:%Y-%m-%d}" if token.expires_at else "never"
            used = f"{token.last_used_at:%Y-%m-%d %H:%M}" if token.last_used_at else "never"
            self.stdout.write(
                f"{token.pk}\t{token.key_prefix}…\t{token.status}\t"
                f"expires {expires}\tlast used {used}\t{token.name}"
            )

    def _revoke(self, options: dict[str, Any]) -> None:
        token = ApiToken.objects.select_related("user").filter(pk=options["token_id"]).first()
        if token is None:
            raise CommandError(f"No API token has the id {options['token_id']}.")
        already = token.revoked_at is not None
        api_token_revoke(acting_user=None, token=token)
        if already:
            self.stdout.write(f"Token {token.pk} of {token.user.email} was already revoked.")
        else:
            self.stdout.write(
                f"Revoked token {token.pk} ({token.key_prefix}…) of {token.user.email}."
            )
