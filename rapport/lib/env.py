"""Typed readers for configuration that comes from the environment.

Every value Rapport reads from the environment goes through one of these helpers, so a bad value
fails at start-up with a message naming the variable, never later with a confusing error.
"""

from __future__ import annotations

import os
from collections.abc import Mapping


class ConfigurationError(Exception):
    """A variable in the environment has a value Rapport cannot use."""


_TRUE = {"1", "true", "yes", "on"}
_FALSE = {"0", "false", "no", "off", ""}


def env_str(name: str, default: str, environ: Mapping[str, str] | None = None) -> str:
    """The variable as text, or `default` when it is unset."""
    source = os.environ if environ is None else environ
    return source.get(name, default)


def env_bool(name: str, default: bool, environ: Mapping[str, str] | None = None) -> bool:
    """The variable as a boolean: 1/true/yes/on or 0/false/no/off (any case)."""
    source = os.environ if environ is None else environ
    if name not in source:
        return default
    value = source[name].strip().lower()
    if value in _TRUE:
        return True
    if value in _FALSE:
        return False
    raise ConfigurationError(f"{name} must be true or false, not {source[name]!r}.")


def env_int(
    name: str,
    default: int,
    environ: Mapping[str, str] | None = None,
    *,
    minimum: int | None = None,
) -> int:
    """The variable as an integer, at least `minimum` when one is given."""
    source = os.environ if environ is None else environ
    if name not in source or not source[name].strip():
        return default
    try:
        value = int(source[name])
    except ValueError:
        raise ConfigurationError(f"{name} must be a whole number, not {source[name]!r}.") from None
    if minimum is not None and value < minimum:
        raise ConfigurationError(f"{name} must be at least {minimum}, not {value}.")
    return value


def env_list(name: str, default: list[str], environ: Mapping[str, str] | None = None) -> list[str]:
    """The variable as a comma-separated list with blanks dropped."""
    source = os.environ if environ is None else environ
    if name not in source:
        return list(default)
    return [item.strip() for item in source[name].split(",") if item.strip()]
