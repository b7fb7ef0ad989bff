"""Parsing the text of an imported cell into a date, datetime, number or yes/no.

Each parser returns None for an empty cell and raises `ValueError` with a message for the user
that quotes the value and says what was expected; the engine puts the message in the report
beside the field name.

Accepted forms (exports write the first of each, so export → import round-trips):
- dates: `2024-12-31` (ISO), `20241231` (ISO basic form), `31.12.2024`, `31/12/2024` or
  `12/31/2024` (per `day_first`), `31-12-2024`, `2024/12/31`, `31 Dec 2024`, `Dec 31, 2024`;
  an Excel serial day number (`45657`) only when asked (`excel_serial=True`, for XLSX number
  cells). Two-digit years are refused: "24" could be 1924 or 2024 and a CRM holds birthdates.
- datetimes: ISO 8601 with or without offset (`2024-12-31T08:30:00+01:00`, `...Z`), or any date
  above followed by a time `08:30`, `08:30:15`, `8:30 PM`; a date alone is midnight. A time
  without an offset is in `tz` (the current time zone by default).
- numbers: `1234.56` and the locale variants `1,234.56`, `1.234,56`, `1 234,56`, `1'234.56`
  per `decimal_mark` ("." or ","), or guessed ("auto", see `parse_decimal`).
- booleans: yes/no, true/false, 1/0, x (and empty for no), y/n, on/off, ja/nein, oui/non, si/no.

Why not a date library: dateutil is not installed, and its guessing (`parser.parse`) silently
reads `01/02/2024` either way and accepts two-digit years; an explicit list of patterns matched
with regular expressions says exactly what is accepted and produces precise messages.
"""

from __future__ import annotations

import calendar
import datetime as dt
import re
from decimal import Decimal, InvalidOperation
from typing import Literal

from django.utils import timezone

DecimalMark = Literal["auto", ".", ","]

EXCEL_EPOCH = dt.date(1899, 12, 30)  # serial 1 = 1900-01-01 (ignoring Excel's 1900-02-29 bug)
EXCEL_MAX_SERIAL = 2_958_465  # 9999-12-31

_NUMERIC_DATE = re.compile(r"(\d{1,4})([./-])(\d{1,2})\2(\d{1,4})\.?", re.ASCII)
_BASIC_DATE = re.compile(r"([12]\d{3})(\d{2})(\d{2})", re.ASCII)
_SERIAL = re.compile(r"\d{1,7}(?:\.\d+)?", re.ASCII)
_TIME = re.compile(
    r"(\d{1,2}):(\d{2})(?::(\d{2})(?:[.,](\d{1,6}))?)?\s*([ap]\.?m\.?)?\s*"
    r"(Z|[+-]\d{2}:?\d{2})?",
    re.IGNORECASE | re.ASCII,
)
_MONTHS = {
    name.lower(): number
    for number in range(1, 13)
    for name in (calendar.month_name[number], calendar.month_abbr[number])
}
_MONTHS["sept"] = 9
_TEXT_DAY_FIRST = re.compile(r"(\d{1,2})\.?\s+([a-z]+)\.?,?\s+(\d{1,4})", re.IGNORECASE)
_TEXT_MONTH_FIRST = re.compile(
    r"([a-z]+)\.?\s+(\d{1,2})(?:st|nd|rd|th)?,?\s+(\d{1,4})", re.IGNORECASE
)

EXPECTED_DATE = "expected a date like 2024-12-31 or 31.12.2024"


def _quoted(text: str) -> str:
    shown = text if len(text) <= 40 else text[:39] + "…"
    return f'"{shown}"'


# ---------------------------------------------------------------------------------------------
# Dates


def parse_date(text: str, *, day_first: bool = True, excel_serial: bool = False) -> dt.date | None:
    """The date in `text`, None when empty; ValueError naming the problem otherwise."""
    value = text.strip()
    if not value:
        return None
    if excel_serial and _SERIAL.fullmatch(value):
        return _from_serial(value, text).date()
    date, rest = _date_prefix(value, text, day_first=day_first)
    if rest and _time_of_day(rest, text) != (0, 0, 0, 0):
        raise ValueError(f"{_quoted(text)} has a time of day; {EXPECTED_DATE}.")
    return date


def _date_prefix(value: str, text: str, *, day_first: bool) -> tuple[dt.date, str]:
    """The date at the start of `value` and what follows it (stripped), or ValueError."""
    head, _, tail = value.partition(" ")
    if "T" in head and head[:1].isdigit():  # ISO 8601: 2024-12-31T08:30
        head, _, time_part = head.partition("T")
        tail = f"{time_part} {tail}"
    basic = _BASIC_DATE.fullmatch(head)
    if basic:  # 20241231, ISO 8601's basic form (SAP and many legacy systems)
        year, month, day = (int(part) for part in basic.groups())
        return _make_date(year, month, day, text, order="year-month-day"), tail.strip()
    match = _NUMERIC_DATE.fullmatch(head)
    if match:
        first, separator, middle, last = match.groups()
        if len(first) == 4 and len(last) <= 2:
            year, month, day, order = int(first), int(middle), int(last), "year-month-day"
        elif len(last) == 4 and len(first) <= 2:
            year = int(last)
            if separator == ".":
                day, month, order = int(first), int(middle), "day.month.year"
            elif day_first:
                day, month, order = int(first), int(middle), "day/month/year"
            else:
                month, day, order = int(first), int(middle), "month/day/year"
        elif len(last) <= 2 and len(first) <= 2:
            raise ValueError(
                f"{_quoted(text)} has a two-digit year; write the year in full, e.g. 31.12.2024."
            )
        else:
            raise ValueError(f"{_quoted(text)} is not a date; {EXPECTED_DATE}.")
        return _make_date(year, month, day, text, order=order), tail.strip()
    for pattern, day_group, month_group in (
        (_TEXT_DAY_FIRST, 1, 2),
        (_TEXT_MONTH_FIRST, 2, 1),
    ):
        found = pattern.match(value)
        if found and found.group(month_group).lower() in _MONTHS:
            year_text = found.group(3)
            if len(year_text) != 4:
                raise ValueError(
                    f"{_quoted(text)} has a two-digit year; write the year in full, "
                    "e.g. 31 Dec 2024."
                )
            month = _MONTHS[found.group(month_group).lower()]
            date = _make_date(
                int(year_text), month, int(found.group(day_group)), text, order="text"
            )
            return date, value[found.end() :].strip()
    if _SERIAL.fullmatch(value):
        raise ValueError(
            f"{_quoted(text)} is a number, not a date; {EXPECTED_DATE} "
            "(spreadsheet day numbers are read only from XLSX number cells)."
        )
    raise ValueError(f"{_quoted(text)} is not a date; {EXPECTED_DATE}.")


def _make_date(year: int, month: int, day: int, text: str, *, order: str) -> dt.date:
    if year < 1:
        raise ValueError(f"{_quoted(text)} is not a date: there is no year 0.")
    if not 1 <= month <= 12:
        hint = ""
        if order == "day/month/year" and 1 <= day <= 12:
            hint = " (read as day/month/year; choose month-first dates for US-style files)"
        elif order == "month/day/year" and 1 <= day <= 12:
            hint = " (read as month/day/year; choose day-first dates)"
        raise ValueError(f"{_quoted(text)} is not a date: there is no month {month}{hint}.")
    last = calendar.monthrange(year, month)[1]
    if not 1 <= day <= last:
        month_name = calendar.month_name[month]
        if day == 0:
            reason = "there is no day 0"
        else:
            reason = f"{month_name} {year} has {last} days, not {day}"
        raise ValueError(f"{_quoted(text)} is not a date: {reason}.")
    return dt.date(year, month, day)


def _from_serial(value: str, text: str) -> dt.datetime:
    serial = float(value)
    if not 1 <= serial <= EXCEL_MAX_SERIAL:
        raise ValueError(
            f"{_quoted(text)} is not a spreadsheet date (day numbers run from 1 = 1900-01-01 "
            "to 2958465 = 9999-12-31)."
        )
    days = int(serial)
    seconds = round((serial - days) * 86_400)
    start = dt.datetime.combine(EXCEL_EPOCH, dt.time())
    return start + dt.timedelta(days=days, seconds=seconds)


# ---------------------------------------------------------------------------------------------
# Datetimes


def parse_datetime(
    text: str,
    *,
    day_first: bool = True,
    tz: dt.tzinfo | None = None,
    excel_serial: bool = False,
) -> dt.datetime | None:
    """The moment in `text` (always time-zone aware), None when empty; ValueError otherwise.

    A value without an offset is a wall-clock time in `tz`, by default the current time zone.
    """
    value = text.strip()
    if not value:
        return None
    zone = tz or timezone.get_current_timezone()
    if excel_serial and _SERIAL.fullmatch(value):
        return _from_serial(value, text).replace(tzinfo=zone)
    if len(value) >= 8 and value[:4].isdigit() and (value[4] == "-" or value[:8].isdigit()):
        try:
            moment = dt.datetime.fromisoformat(value)
        except ValueError:
            moment = None
        if moment is not None:
            return moment if moment.tzinfo else moment.replace(tzinfo=zone)
    try:
        date, rest = _date_prefix(value, text, day_first=day_first)
    except ValueError as error:
        message = str(error).replace(EXPECTED_DATE, EXPECTED_DATETIME)
        raise ValueError(message) from None
    hour, minute, second, micro = _time_of_day(rest, text) if rest else (0, 0, 0, 0)
    offset = _TIME.fullmatch(rest).group(6) if rest else None  # type: ignore[union-attr]
    moment = dt.datetime.combine(date, dt.time(hour, minute, second, micro))
    if offset:
        return moment.replace(tzinfo=_offset(offset))
    return moment.replace(tzinfo=zone)


EXPECTED_DATETIME = "expected a date and time like 2024-12-31 08:30 or 31.12.2024 08:30"


def _time_of_day(rest: str, text: str) -> tuple[int, int, int, int]:
    match = _TIME.fullmatch(rest)
    if match is None:
        raise ValueError(f"{_quoted(text)} has no valid time; {EXPECTED_DATETIME}.")
    hour, minute = int(match.group(1)), int(match.group(2))
    second = int(match.group(3) or 0)
    micro = int((match.group(4) or "0").ljust(6, "0"))
    meridiem = (match.group(5) or "").replace(".", "").lower()
    if meridiem:
        if not 1 <= hour <= 12:
            raise ValueError(f"{_quoted(text)} is not a time: {hour} {meridiem.upper()}.")
        hour = hour % 12 + (12 if meridiem == "pm" else 0)
    if hour > 23 or minute > 59 or second > 59:
        raise ValueError(
            f"{_quoted(text)} is not a time of day: hours run 0-23, minutes and seconds 0-59."
        )
    return hour, minute, second, micro


def _offset(text: str) -> dt.tzinfo:
    if text.upper() == "Z":
        return dt.UTC
    sign = -1 if text[0] == "-" else 1
    digits = text[1:].replace(":", "")
    delta = dt.timedelta(hours=int(digits[:2]), minutes=int(digits[2:]))
    return dt.timezone(sign * delta)


# ---------------------------------------------------------------------------------------------
# Numbers

_GROUP_SPACES = str.maketrans("", "", " \u00a0\u202f\u2009'\u2019")
_SPACE_SEPARATOR = re.compile("[ \u00a0\u202f\u2009'\u2019]+")
_THREE_DIGITS = re.compile(r"\d{3}(?!\d)", re.ASCII)
_CURRENCY = "€$£¥"
_PLAIN_NUMBER = re.compile(r"[+-]?(?:\d+(?:\.\d*)?|\.\d+)", re.ASCII)
_GROUPED = {
    ".": re.compile(r"\d{1,3}(?:,\d{3})+(?:\.\d*)?", re.ASCII),
    ",": re.compile(r"\d{1,3}(?:\.\d{3})+(?:,\d*)?", re.ASCII),
}
EXPECTED_NUMBER = "expected a number like 1234.56"


def parse_decimal(text: str, *, decimal_mark: DecimalMark = "auto") -> Decimal | None:
    """The number in `text`, None when empty; ValueError otherwise.

    Spaces and apostrophes between digits are thousands separators; a leading or trailing
    currency symbol (€ $ £ ¥) is dropped. With `decimal_mark` "." or "," the other sign is the
    thousands separator and must group digits by three. "auto" decides by the value: with both
    signs, the last one is the decimal mark; a sign that appears twice or more separates
    thousands; a single "." is the decimal mark (as in exports: `1.234` is one point two three
    four); a single "," is the decimal mark unless exactly three digits follow it, and then
    (`1,234`) the value is refused as ambiguous.
    """
    number = _number_text(text, decimal_mark=decimal_mark, whole=False)
    if number is None:
        return None
    try:
        return Decimal(number)
    except InvalidOperation:  # pragma: no cover - the text matched _PLAIN_NUMBER
        raise ValueError(f"{_quoted(text)} is not a number; {EXPECTED_NUMBER}.") from None


def parse_int(text: str, *, decimal_mark: DecimalMark = "auto") -> int | None:
    """The whole number in `text`, None when empty; ValueError otherwise.

    As `parse_decimal`, except that in "auto" mode a single separator followed by exactly three
    digits is a thousands separator (`2.500` or `2,500` employees are 2500), since a whole
    number has no decimals to be confused with.
    """
    number = _number_text(text, decimal_mark=decimal_mark, whole=True)
    if number is None:
        return None
    value = Decimal(number)
    if value != value.to_integral_value():
        raise ValueError(f"{_quoted(text)} is not a whole number.")
    return int(value)


def _number_text(text: str, *, decimal_mark: DecimalMark, whole: bool) -> str | None:
    value = text.strip()
    if not value:
        return None
    value = value.strip(_CURRENCY).strip()
    if _SPACE_SEPARATOR.search(value):
        # Spaces and apostrophes only ever group thousands: 1 234 567, 1'234.5 (not 1 23).
        if not all(_THREE_DIGITS.match(part) for part in _SPACE_SEPARATOR.split(value)[1:]):
            raise ValueError(
                f"{_quoted(text)} is not a number: spaces and apostrophes may only separate "
                "groups of three digits."
            )
        value = value.translate(_GROUP_SPACES)
    value = value.replace("\u2212", "-")
    sign = ""
    if value[:1] in "+-":
        sign, value = value[:1], value[1:]
    if not value or value[0] not in "0123456789.,":
        raise ValueError(f"{_quoted(text)} is not a number; {EXPECTED_NUMBER}.")
    mark = decimal_mark if decimal_mark != "auto" else _guess_mark(value, text, whole=whole)
    group = "," if mark == "." else "."
    if group in value:
        if not _GROUPED[mark].fullmatch(value):
            raise ValueError(
                f"{_quoted(text)} is not a number: {group!r} must separate groups of three "
                f"digits when {mark!r} is the decimal mark."
            )
        value = value.replace(group, "")
    value = value.replace(",", ".")
    if not _PLAIN_NUMBER.fullmatch(value):
        raise ValueError(f"{_quoted(text)} is not a number; {EXPECTED_NUMBER}.")
    return sign + value


def _guess_mark(value: str, text: str, *, whole: bool) -> Literal[".", ","]:
    dots, commas = value.count("."), value.count(",")
    if dots and commas:
        return "." if value.rfind(".") > value.rfind(",") else ","
    if dots > 1:
        return ","
    if commas > 1:
        return "."
    if not dots and not commas:
        return "."
    sign: Literal[".", ","] = "." if dots else ","
    before, _, after = value.partition(sign)
    three_after = len(after) == 3 and after.isdigit() and before not in ("", "0")
    if whole and three_after:
        return "," if sign == "." else "."  # the sign groups thousands
    if sign == "." or not three_after:
        return sign
    raise ValueError(
        f"{_quoted(text)} is ambiguous: is ',' the decimal mark ({before}.{after}) or a "
        f"thousands separator ({before}{after})? Choose the decimal mark in the import options."
    )


# ---------------------------------------------------------------------------------------------
# Booleans

_TRUE = frozenset({"yes", "y", "true", "t", "1", "x", "on", "ja", "j", "oui", "si", "sí", "wahr"})
_FALSE = frozenset({"no", "n", "false", "f", "0", "off", "nein", "non", "falsch", "faux"})


def parse_bool(text: str) -> bool | None:
    """True or False from the usual spellings, None when empty; ValueError otherwise."""
    value = text.strip().casefold()
    if not value:
        return None
    if value in _TRUE:
        return True
    if value in _FALSE:
        return False
    raise ValueError(f"{_quoted(text)} is not yes or no; expected yes/no, true/false, 1/0 or x.")
