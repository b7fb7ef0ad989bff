"""Production configuration rules and the client address seen through trusted proxies."""

from __future__ import annotations

import secrets

import pytest

from rapport.lib.security import DEVELOPMENT_SECRET_KEY, client_ip, production_problems

STRONG = secrets.token_urlsafe(64)


def test_a_strong_key_and_explicit_hosts_have_no_problems():
    assert production_problems(secret_key=STRONG, allowed_hosts=["crm.example.com"]) == []


@pytest.mark.parametrize(
    ("secret_key", "problem"),
    [
        ("", "SECRET_KEY is not set."),
        (DEVELOPMENT_SECRET_KEY, "SECRET_KEY is the development default."),
        ("django-insecure-" + STRONG, "SECRET_KEY is the development default."),
        ("too-short", "SECRET_KEY is too weak"),
        ("a" * 80, "SECRET_KEY is too weak"),
    ],
)
def test_weak_secret_keys_are_named(secret_key, problem):
    problems = production_problems(secret_key=secret_key, allowed_hosts=["crm.example.com"])

    assert len(problems) == 1
    assert problems[0].startswith(problem)


@pytest.mark.parametrize(
    ("hosts", "problem"),
    [([], "ALLOWED_HOSTS is empty"), (["crm.example.com", "*"], "ALLOWED_HOSTS contains '*'")],
)
def test_unsafe_allowed_hosts_are_named(hosts, problem):
    problems = production_problems(secret_key=STRONG, allowed_hosts=hosts)

    assert len(problems) == 1
    assert problems[0].startswith(problem)


def test_every_problem_is_reported_at_once():
    assert len(production_problems(secret_key="", allowed_hosts=[])) == 2


def test_without_a_trusted_proxy_the_forwarded_header_is_ignored():
    address = client_ip(remote_addr="10.0.0.2", forwarded_for="203.0.113.7", trusted_proxies=0)

    assert address == "10.0.0.2"


def test_behind_one_proxy_the_last_forwarded_hop_is_the_client():
    address = client_ip(
        remote_addr="10.0.0.2", forwarded_for="198.51.100.66, 203.0.113.7", trusted_proxies=1
    )

    # 198.51.100.66 was sent by the client itself: forgeable, so never used.
    assert address == "203.0.113.7"


def test_behind_two_proxies_the_client_is_second_from_the_right():
    address = client_ip(
        remote_addr="10.0.0.3", forwarded_for="203.0.113.7, 10.0.0.2", trusted_proxies=2
    )

    assert address == "203.0.113.7"


def test_a_request_that_bypassed_the_proxies_falls_back_to_the_socket_address():
    address = client_ip(remote_addr="10.0.0.2", forwarded_for="203.0.113.7", trusted_proxies=2)

    assert address == "10.0.0.2"


def test_no_header_behind_a_proxy_falls_back_to_the_socket_address():
    assert client_ip(remote_addr="10.0.0.2", forwarded_for=None, trusted_proxies=1) == "10.0.0.2"
    assert client_ip(remote_addr="", forwarded_for="", trusted_proxies=1) is None
