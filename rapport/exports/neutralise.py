"""Spreadsheet formula neutralisation (OWASP "CSV injection"), and its exact inverse for imports.

A spreadsheet runs a cell that begins with `=`, `+`, `-` or `@` (and some treat a leading tab or
carriage return the same way), so exports prefix such text with a single quote, which spreadsheets
show as plain text. To keep import → export → import lossless, text that already begins with
quotes followed by one of those characters gets one more quote, so `unneutralise` can always
remove exactly one: `unneutralise(neutralise(text)) == text` for every text.
"""

from __future__ import annotations

TRIGGERS = ("=", "+", "-", "@", "\t", "\r")
QUOTE = "'"


def _needs_quote(text: str) -> bool:
    return text.lstrip(QUOTE).startswith(TRIGGERS)


def neutralise(text: str) -> str:
    """The text as a spreadsheet will show it but never run it."""
    if text.startswith(TRIGGERS) or (text.startswith(QUOTE) and _needs_quote(text)):
        return QUOTE + text
    return text


def unneutralise(text: str) -> str:
    """The text an export neutralised, as it was (other text unchanged); for the import side."""
    if text.startswith(QUOTE) and _needs_quote(text):
        return text[1:]
    return text
