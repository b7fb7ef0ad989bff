"""With RAPPORT_ENV=production Rapport is secure or refuses to start.

Each test starts a fresh interpreter with a controlled environment, because settings are read
once at start-up.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[3]
RAPPORT = Path(sys.executable).with_name("rapport")
STRONG_KEY = "k3y-" + "Zq8x" * 20
DUMP_SETTINGS = """
import json, django
from django.conf import settings
django.setup()
names = [
    "DEBUG", "SESSION_COOKIE_SECURE", "CSRF_COOKIE_SECURE", "SECURE_SSL_REDIRECT",
    "SECURE_HSTS_SECONDS", "SECURE_HSTS_INCLUDE_SUBDOMAINS", "SESSION_COOKIE_HTTPONLY",
    "SECURE_CONTENT_TYPE_NOSNIFF", "X_FRAME_OPTIONS",
]
values = {name: getattr(settings, name) for name in names}
values["csp"] = {key: list(value) for key, value in settings.SECURE_CSP.items()}
values["csp_middleware"] = "django.middleware.csp.ContentSecurityPolicyMiddleware" in (
    settings.MIDDLEWARE
)
print(json.dumps(values))
"""


def _environment(tmp_path, **variables):
    base = {
        "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
        "HOME": str(tmp_path),
        "DJANGO_SETTINGS_MODULE": "rapport.settings",
        "RAPPORT_VAR_DIR": str(tmp_path / "var"),
        "RAPPORT_ENV": "production",
        "SECRET_KEY": STRONG_KEY,
        "ALLOWED_HOSTS": "crm.example.com",
    }
    base.update(variables)
    return {name: value for name, value in base.items() if value is not None}


def _python(tmp_path, code, **variables):
    return subprocess.run(
        [sys.executable, "-c", code],
        env=_environment(tmp_path, **variables),
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def _start(tmp_path, **variables):
    return _python(tmp_path, "import django; django.setup()", **variables)


@pytest.mark.parametrize(
    ("variables", "named", "reason"),
    [
        ({"SECRET_KEY": None}, "SECRET_KEY", "is not set"),
        ({"SECRET_KEY": ""}, "SECRET_KEY", "is not set"),
        (
            {"SECRET_KEY": "rapport-insecure-development-key-never-use-in-production"},
            "SECRET_KEY",
            "development default",
        ),
        ({"SECRET_KEY": "django-insecure-" + "x1y2" * 15}, "SECRET_KEY", "development default"),
        ({"SECRET_KEY": "short-secret"}, "SECRET_KEY", "too weak"),
        ({"SECRET_KEY": "ab" * 40}, "SECRET_KEY", "too weak"),
        ({"ALLOWED_HOSTS": None}, "ALLOWED_HOSTS", "is empty"),
        ({"ALLOWED_HOSTS": " , "}, "ALLOWED_HOSTS", "is empty"),
        ({"ALLOWED_HOSTS": "*"}, "ALLOWED_HOSTS", "'*'"),
        ({"DEBUG": "true"}, "DEBUG", "cannot be on"),
    ],
)
def test_it_refuses_to_start_with_an_insecure_configuration(tmp_path, variables, named, reason):
    result = _start(tmp_path, **variables)

    assert result.returncode != 0
    assert named in result.stderr
    assert reason in result.stderr


def test_it_refuses_an_unknown_environment_name(tmp_path):
    result = _start(tmp_path, RAPPORT_ENV="prod")

    assert result.returncode != 0
    assert "RAPPORT_ENV must be development or production" in result.stderr


def test_a_bad_value_names_the_variable(tmp_path):
    result = _start(tmp_path, SECURE_HSTS_SECONDS="a year")

    assert result.returncode != 0
    assert "SECURE_HSTS_SECONDS must be a whole number" in result.stderr


def test_a_secure_configuration_turns_every_protection_on(tmp_path):
    result = _python(tmp_path, DUMP_SETTINGS)

    assert result.returncode == 0, result.stderr
    values = json.loads(result.stdout.strip().splitlines()[-1])
    assert values["DEBUG"] is False
    assert values["SESSION_COOKIE_SECURE"] is True
    assert values["CSRF_COOKIE_SECURE"] is True
    assert values["SECURE_SSL_REDIRECT"] is True
    assert values["SECURE_HSTS_SECONDS"] >= 31_536_000
    assert values["SECURE_HSTS_INCLUDE_SUBDOMAINS"] is True
    assert values["SESSION_COOKIE_HTTPONLY"] is True
    assert values["SECURE_CONTENT_TYPE_NOSNIFF"] is True
    assert values["X_FRAME_OPTIONS"] == "DENY"
    assert values["csp_middleware"] is True
    assert values["csp"]["default-src"] == ["'self'"]
    assert values["csp"]["script-src"] == ["'self'", "<CSP_NONCE_SENTINEL>"]
    assert values["csp"]["style-src"] == ["'self'"]
    assert values["csp"]["frame-ancestors"] == ["'none'"]


def test_the_deploy_check_finds_nothing_to_warn_about(tmp_path):
    result = subprocess.run(
        [str(RAPPORT), "check", "--deploy", "--fail-level", "WARNING"],
        env=_environment(tmp_path),
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )

    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues" in result.stdout


def test_development_needs_no_configuration_at_all(tmp_path):
    result = _start(tmp_path, RAPPORT_ENV=None, SECRET_KEY=None, ALLOWED_HOSTS=None)

    assert result.returncode == 0, result.stderr
