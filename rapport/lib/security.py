"""The rules production configuration must pass before Rapport agrees to start."""

from __future__ import annotations

DEVELOPMENT_SECRET_KEY = "rapport-insecure-development-key-never-use-in-production"  # noqa: S105
MIN_SECRET_KEY_LENGTH = 50


def production_problems(*, secret_key: str, allowed_hosts: list[str]) -> list[str]:
    """What is unsafe about this configuration for production; empty when it is fine."""
    problems: list[str] = []
    if not secret_key:
        problems.append("SECRET_KEY is not set.")
    elif secret_key == DEVELOPMENT_SECRET_KEY or secret_key.startswith("django-insecure"):
        problems.append("SECRET_KEY is the development default.")
    elif len(secret_key) < MIN_SECRET_KEY_LENGTH or len(set(secret_key)) < 5:
        problems.append(
            f"SECRET_KEY is too weak: use at least {MIN_SECRET_KEY_LENGTH} random characters "
            '(python -c "import secrets; print(secrets.token_urlsafe(64))").'
        )
    if not allowed_hosts:
        problems.append("ALLOWED_HOSTS is empty: list the host names Rapport is served under.")
    elif "*" in allowed_hosts:
        problems.append("ALLOWED_HOSTS contains '*': list the host names explicitly.")
    return problems


def client_ip(
    *, remote_addr: str | None, forwarded_for: str | None, trusted_proxies: int
) -> str | None:
    """The client's address, seen through `trusted_proxies` reverse proxies.

    Each trusted proxy appends the address it received the request from to X-Forwarded-For, so
    the client is the entry `trusted_proxies` places from the right. Entries left of it can be
    forged by the client and are never used; with no trusted proxy the header is ignored.
    """
    if trusted_proxies <= 0 or not forwarded_for:
        return remote_addr or None
    hops = [hop.strip() for hop in forwarded_for.split(",") if hop.strip()]
    if len(hops) < trusted_proxies:
        # Fewer hops than proxies: the request bypassed a proxy, so only the socket is trustworthy.
        return remote_addr or None
    return hops[-trusted_proxies]
