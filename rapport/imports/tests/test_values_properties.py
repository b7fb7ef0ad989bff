"""Property tests: a value written in any supported locale form is read back as the same value."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from hypothesis import given
from hypothesis import strategies as st

from rapport.imports.values import parse_date, parse_datetime, parse_decimal, parse_int

dates = st.dates(min_value=dt.date(1000, 1, 1), max_value=dt.date(9999, 12, 31))
times = st.times().map(lambda moment: moment.replace(microsecond=0))


def date_forms(date: dt.date) -> dict[str, tuple[str, bool]]:
    """The date written as people write it, with the day_first option each form needs."""
    d, m, y = date.day, date.month, date.year
    return {
        "iso": (date.isoformat(), True),
        "german": (f"{d:02d}.{m:02d}.{y}", True),
        "german short": (f"{d}.{m}.{y}", True),
        "british": (f"{d:02d}/{m:02d}/{y}", True),
        "american": (f"{m}/{d}/{y}", False),
        "dashes": (f"{d:02d}-{m:02d}-{y}", True),
        "english": (date.strftime(f"{d} %b {y}"), True),
        "american words": (date.strftime(f"%B {d}, {y}"), False),
    }


@given(dates)
def test_a_date_in_any_locale_form_reads_back_the_same(date: dt.date) -> None:
    for text, day_first in date_forms(date).values():
        assert parse_date(text, day_first=day_first) == date, text


# Excel counts a 29 February 1900 that never was; serials from 1 March 1900 on are exact.
@given(st.dates(min_value=dt.date(1900, 3, 1), max_value=dt.date(9999, 12, 31)))
def test_an_excel_serial_reads_back_the_same_date(date: dt.date) -> None:
    serial = (date - dt.date(1899, 12, 30)).days

    assert parse_date(str(serial), excel_serial=True) == date


@given(dates, times)
def test_a_datetime_in_any_locale_form_reads_back_the_same(date: dt.date, time: dt.time) -> None:
    moment = dt.datetime.combine(date, time, tzinfo=dt.UTC)
    for text, day_first in date_forms(date).values():
        written = f"{text} {time.isoformat()}"
        assert parse_datetime(written, day_first=day_first, tz=dt.UTC) == moment, written
    assert parse_datetime(moment.isoformat()) == moment


def group(digits: str, separator: str) -> str:
    head = len(digits) % 3 or 3
    parts = [digits[:head]] + [digits[i : i + 3] for i in range(head, len(digits), 3)]
    return separator.join(parts)


decimals = st.decimals(
    min_value=Decimal("-1e12"), max_value=Decimal("1e12"), places=2, allow_nan=False
)


@given(decimals)
def test_a_decimal_in_any_locale_form_reads_back_the_same(number: Decimal) -> None:
    sign = "-" if number < 0 else ""
    whole, _, fraction = f"{abs(number):.2f}".partition(".")
    forms = {
        ".": [f"{whole}.{fraction}", f"{group(whole, ',')}.{fraction}"],
        ",": [
            f"{whole},{fraction}",
            f"{group(whole, '.')},{fraction}",
            f"{group(whole, ' ')},{fraction}",
            f"{group(whole, chr(0xA0))},{fraction}",
        ],
    }
    for mark, texts in forms.items():
        for text in texts:
            assert parse_decimal(sign + text, decimal_mark=mark) == number, text  # type: ignore[arg-type]
            # Two decimals are never ambiguous, so the guess gets them all right too.
            assert parse_decimal(sign + text) == number, text


@given(st.integers(min_value=-(10**15), max_value=10**15))
def test_a_whole_number_with_any_thousands_separator_reads_back_the_same(number: int) -> None:
    sign = "-" if number < 0 else ""
    digits = str(abs(number))
    for separator in ("", ",", ".", " ", "'"):
        text = sign + group(digits, separator)
        assert parse_int(text) == number, text
