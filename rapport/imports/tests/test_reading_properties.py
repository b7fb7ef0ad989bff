"""Whatever bytes arrive, the reader answers with rows keyed by the headers or a clear refusal."""

from __future__ import annotations

import tempfile
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from rapport.imports.reading import ImportFileError, Limits, open_table

ALPHABET = st.sampled_from(list("abcXYZ019 ,;\t|\"'\r\n\x00äöü€ß=+-@\ufeff"))
LIMITS = Limits(max_bytes=1_000_000, max_field_chars=50, max_columns=20)


def read_all(data: bytes, name: str) -> None:
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / name
        path.write_bytes(data)
        refusal: ImportFileError | None = None
        try:
            table = open_table(path, limits=LIMITS)
        except ImportFileError as error:
            refusal = error
        if refusal is not None:
            assert str(refusal)
            assert refusal.code
            return
        assert table.headers
        assert len(set(table.headers)) == len(table.headers)
        rows = list(table.rows())
        assert rows, "open_table promised at least one data row"
        lines = [row.line for row in rows]
        assert lines == sorted(set(lines))
        for row in rows:
            assert list(row.cells) == table.headers
            assert all("\x00" not in value for value in row.cells.values())
            assert all(issue.message for issue in row.issues)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.text(ALPHABET, max_size=300), st.sampled_from(["utf-8", "utf-16", "cp1252"]))
def test_any_text_is_read_or_refused_with_a_message(text: str, encoding: str) -> None:
    read_all(text.encode(encoding, errors="ignore"), "data.csv")


@settings(max_examples=200, deadline=None)
@given(st.binary(max_size=400), st.sampled_from(["data.csv", "data.xlsx", "data.vcf", "data"]))
def test_any_bytes_are_read_or_refused_with_a_message(data: bytes, name: str) -> None:
    read_all(data, name)


@settings(max_examples=100, deadline=None)
@given(
    st.lists(
        st.sampled_from(
            [
                "BEGIN:VCARD",
                "END:VCARD",
                "VERSION:3.0",
                "N:Smith;Anna;;;",
                "FN:Anna Smith",
                "EMAIL:anna@example.com",
                "TEL;TYPE=CELL:+1 555",
                "BDAY:19901231",
                "ADR:;;Main St;Town;;123;US",
                "garbage",
                "NOTE;ENCODING=QUOTED-PRINTABLE:a=",
                " folded",
            ]
        ),
        max_size=30,
    )
)
def test_any_sequence_of_vcard_lines_is_read_or_refused(lines: list[str]) -> None:
    read_all("\r\n".join(lines).encode(), "cards.vcf")
