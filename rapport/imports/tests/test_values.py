"""Cell parsers: every accepted locale form, and a message quoting the value for everything else."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest

from rapport.imports.values import (
    parse_bool,
    parse_date,
    parse_datetime,
    parse_decimal,
    parse_int,
)

BERLIN = ZoneInfo("Europe/Berlin")


def error_of(call: Callable[[], object]) -> str:
    """The message of the ValueError `call` raises (failing the test if it raises none)."""
    try:
        call()
    except ValueError as error:
        return str(error)
    raise AssertionError("no ValueError raised")


# --- dates ---------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "2024-12-31",
        "20241231",
        "31.12.2024",
        "31/12/2024",
        "31-12-2024",
        "2024/12/31",
        "2024.12.31",
        " 31.12.2024 ",
        "31 Dec 2024",
        "31 December 2024",
        "Dec 31, 2024",
        "December 31st, 2024",
        "2024-12-31T00:00:00",
        "2024-12-31 00:00",
    ],
)
def test_dates_are_read_in_the_usual_forms(text: str) -> None:
    assert parse_date(text) == dt.date(2024, 12, 31)


def test_month_first_dates_need_the_month_first_option() -> None:
    assert parse_date("12/31/2024", day_first=False) == dt.date(2024, 12, 31)
    assert parse_date("02/01/2024", day_first=False) == dt.date(2024, 2, 1)
    assert parse_date("02/01/2024") == dt.date(2024, 1, 2)
    # A dotted date is always day first, whatever the option.
    assert parse_date("02.01.2024", day_first=False) == dt.date(2024, 1, 2)


def test_an_empty_cell_is_no_date() -> None:
    assert parse_date("") is None
    assert parse_date("   ") is None


def test_excel_serial_days_are_read_only_when_asked() -> None:
    assert parse_date("45657", excel_serial=True) == dt.date(2024, 12, 31)
    assert parse_date("45657.75", excel_serial=True) == dt.date(2024, 12, 31)
    assert error_of(lambda: parse_date("45657")) == (
        '"45657" is a number, not a date; expected a date like 2024-12-31 or 31.12.2024 '
        "(spreadsheet day numbers are read only from XLSX number cells)."
    )


@pytest.mark.parametrize(
    ("text", "options", "message"),
    [
        (
            "31.02.2024",
            {},
            '"31.02.2024" is not a date: February 2024 has 29 days, not 31.',
        ),
        (
            "29.02.2023",
            {},
            '"29.02.2023" is not a date: February 2023 has 28 days, not 29.',
        ),
        (
            "31/04/2024",
            {},
            '"31/04/2024" is not a date: April 2024 has 30 days, not 31.',
        ),
        ("00.01.2024", {}, '"00.01.2024" is not a date: there is no day 0.'),
        ("20241301", {}, '"20241301" is not a date: there is no month 13.'),
        ("1.13.2024", {}, '"1.13.2024" is not a date: there is no month 13.'),
        (
            "12/31/2024",
            {},
            '"12/31/2024" is not a date: there is no month 31 (read as day/month/year; '
            "choose month-first dates for US-style files).",
        ),
        (
            "31/12/2024",
            {"day_first": False},
            '"31/12/2024" is not a date: there is no month 31 (read as month/day/year; '
            "choose day-first dates).",
        ),
        (
            "31.12.24",
            {},
            '"31.12.24" has a two-digit year; write the year in full, e.g. 31.12.2024.',
        ),
        (
            "12/31/24",
            {"day_first": False},
            '"12/31/24" has a two-digit year; write the year in full, e.g. 31.12.2024.',
        ),
        (
            "31 Dec 24",
            {},
            '"31 Dec 24" has a two-digit year; write the year in full, e.g. 31 Dec 2024.',
        ),
        (
            "yesterday",
            {},
            '"yesterday" is not a date; expected a date like 2024-12-31 or 31.12.2024.',
        ),
        (
            "31.12.2024 08:30",
            {},
            '"31.12.2024 08:30" has a time of day; expected a date like 2024-12-31 or 31.12.2024.',
        ),
        (
            "99999999",
            {"excel_serial": True},
            '"99999999" is not a date; expected a date like 2024-12-31 or 31.12.2024.',
        ),
        (
            "0",
            {"excel_serial": True},
            '"0" is not a spreadsheet date (day numbers run from 1 = 1900-01-01 to '
            "2958465 = 9999-12-31).",
        ),
    ],
)
def test_invalid_dates_say_what_is_wrong(text: str, options: dict[str, bool], message: str) -> None:
    assert error_of(lambda: parse_date(text, **options)) == message


def test_a_long_value_is_shortened_in_the_message() -> None:
    assert error_of(lambda: parse_date("x" * 100)) == (
        f'"{"x" * 39}…" is not a date; expected a date like 2024-12-31 or 31.12.2024.'
    )


# --- datetimes -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2024-12-31T08:30:00+01:00", dt.datetime(2024, 12, 31, 7, 30, tzinfo=dt.UTC)),
        ("2024-12-31T07:30:00Z", dt.datetime(2024, 12, 31, 7, 30, tzinfo=dt.UTC)),
        ("2024-12-31 08:30", dt.datetime(2024, 12, 31, 8, 30, tzinfo=BERLIN)),
        ("31.12.2024 08:30", dt.datetime(2024, 12, 31, 8, 30, tzinfo=BERLIN)),
        ("31.12.2024 08:30:15", dt.datetime(2024, 12, 31, 8, 30, 15, tzinfo=BERLIN)),
        ("31/12/2024 8:30 pm", dt.datetime(2024, 12, 31, 20, 30, tzinfo=BERLIN)),
        ("31/12/2024 12:05 AM", dt.datetime(2024, 12, 31, 0, 5, tzinfo=BERLIN)),
        ("31.12.2024 08:30 +0200", dt.datetime(2024, 12, 31, 6, 30, tzinfo=dt.UTC)),
        ("31.12.2024", dt.datetime(2024, 12, 31, tzinfo=BERLIN)),
        ("Dec 31, 2024 08:30", dt.datetime(2024, 12, 31, 8, 30, tzinfo=BERLIN)),
        ("20241231T083000", dt.datetime(2024, 12, 31, 8, 30, tzinfo=BERLIN)),
        ("20241231 08:30", dt.datetime(2024, 12, 31, 8, 30, tzinfo=BERLIN)),
    ],
)
def test_datetimes_are_read_in_the_usual_forms(text: str, expected: dt.datetime) -> None:
    moment = parse_datetime(text, tz=BERLIN)

    assert moment == expected
    assert moment is not None
    assert moment.tzinfo is not None


def test_a_datetime_without_offset_is_in_the_current_time_zone(settings: object) -> None:
    from django.utils import timezone

    with timezone.override(BERLIN):
        moment = parse_datetime("2024-07-01 12:00")

    assert moment == dt.datetime(2024, 7, 1, 10, 0, tzinfo=dt.UTC)


def test_an_excel_serial_with_a_fraction_is_a_time_of_day() -> None:
    moment = parse_datetime("45657.75", excel_serial=True, tz=BERLIN)

    assert moment == dt.datetime(2024, 12, 31, 18, 0, tzinfo=BERLIN)


@pytest.mark.parametrize(
    ("text", "message"),
    [
        (
            "31.12.2024 25:00",
            '"31.12.2024 25:00" is not a time of day: hours run 0-23, minutes and seconds 0-59.',
        ),
        (
            "31.12.2024 soon",
            '"31.12.2024 soon" has no valid time; expected a date and time like '
            "2024-12-31 08:30 or 31.12.2024 08:30.",
        ),
        (
            "31.12.2024 13:00 pm",
            '"31.12.2024 13:00 pm" is not a time: 13 PM.',
        ),
        (
            "noon",
            '"noon" is not a date; expected a date and time like 2024-12-31 08:30 or '
            "31.12.2024 08:30.",
        ),
        (
            "30.02.2024 10:00",
            '"30.02.2024 10:00" is not a date: February 2024 has 29 days, not 30.',
        ),
    ],
)
def test_invalid_datetimes_say_what_is_wrong(text: str, message: str) -> None:
    assert error_of(lambda: parse_datetime(text, tz=BERLIN)) == message


def test_an_empty_cell_is_no_datetime() -> None:
    assert parse_datetime(" ") is None


# --- numbers -------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "mark", "expected"),
    [
        ("1234.56", "auto", "1234.56"),
        ("1,234.56", "auto", "1234.56"),
        ("1.234,56", "auto", "1234.56"),
        ("1 234,56", "auto", "1234.56"),
        ("1\u00a0234,56", "auto", "1234.56"),
        ("1'234.56", "auto", "1234.56"),
        ("1.234.567", "auto", "1234567"),
        ("1,234,567.5", "auto", "1234567.5"),
        ("1.234", "auto", "1.234"),
        ("1,5", "auto", "1.5"),
        ("0,125", "auto", "0.125"),
        ("-3", "auto", "-3"),
        ("+3.5", "auto", "3.5"),
        ("\u22124", "auto", "-4"),
        (".5", "auto", "0.5"),
        ("€ 12,50", "auto", "12.50"),
        ("12.50 $", "auto", "12.50"),
        ("1,234", ",", "1.234"),
        ("1,234", ".", "1234"),
        ("1.234", ",", "1234"),
        ("1.234,5", ",", "1234.5"),
        ("1,234.5", ".", "1234.5"),
    ],
)
def test_decimals_are_read_in_every_locale(text: str, mark: str, expected: str) -> None:
    assert parse_decimal(text, decimal_mark=mark) == Decimal(expected)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("text", "mark", "message"),
    [
        (
            "1,234",
            "auto",
            "\"1,234\" is ambiguous: is ',' the decimal mark (1.234) or a thousands separator "
            "(1234)? Choose the decimal mark in the import options.",
        ),
        (
            "1,23.4",
            "auto",
            "\"1,23.4\" is not a number: ',' must separate groups of three digits when '.' is "
            "the decimal mark.",
        ),
        (
            "1.234,56",
            ".",
            "\"1.234,56\" is not a number: ',' must separate groups of three digits when '.' is "
            "the decimal mark.",
        ),
        ("abc", "auto", '"abc" is not a number; expected a number like 1234.56.'),
        ("1e5", "auto", '"1e5" is not a number; expected a number like 1234.56.'),
        (
            "1.2.3,4,5",
            "auto",
            "\"1.2.3,4,5\" is not a number: '.' must separate groups of three digits when ',' "
            "is the decimal mark.",
        ),
        ("-", "auto", '"-" is not a number; expected a number like 1234.56.'),
        ("NaN", "auto", '"NaN" is not a number; expected a number like 1234.56.'),
        (
            "1 23",
            "auto",
            '"1 23" is not a number: spaces and apostrophes may only separate groups of three '
            "digits.",
        ),
        (
            "12 apples",
            ",",
            '"12 apples" is not a number: spaces and apostrophes may only separate groups of '
            "three digits.",
        ),
    ],
)
def test_invalid_numbers_say_what_is_wrong(text: str, mark: str, message: str) -> None:
    error = error_of(lambda: parse_decimal(text, decimal_mark=mark))  # type: ignore[arg-type]

    assert error == message


def test_whole_numbers_read_a_lone_group_of_three_as_thousands() -> None:
    assert parse_int("2.500") == 2500
    assert parse_int("2,500") == 2500
    assert parse_int("1.234.567") == 1234567
    assert parse_int("12") == 12
    assert parse_int("3.0") == 3
    assert parse_int("") is None
    assert error_of(lambda: parse_int("2.5")) == '"2.5" is not a whole number.'


def test_an_empty_cell_is_no_number() -> None:
    assert parse_decimal("") is None
    assert parse_decimal("  ") is None


# --- booleans ------------------------------------------------------------------------------------


@pytest.mark.parametrize("text", ["yes", "Yes", "TRUE", "1", "x", "X", "ja", "oui", "y", "on"])
def test_yes_in_its_usual_spellings(text: str) -> None:
    assert parse_bool(text) is True


@pytest.mark.parametrize("text", ["no", "NO", "false", "0", "nein", "non", "n", "off"])
def test_no_in_its_usual_spellings(text: str) -> None:
    assert parse_bool(text) is False


def test_an_empty_cell_is_neither_yes_nor_no() -> None:
    assert parse_bool("") is None


def test_anything_else_is_not_a_yes_or_no() -> None:
    assert error_of(lambda: parse_bool("maybe")) == (
        '"maybe" is not yes or no; expected yes/no, true/false, 1/0 or x.'
    )
