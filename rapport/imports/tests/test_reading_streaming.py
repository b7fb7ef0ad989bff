"""A large file is read as a stream: memory stays flat however many rows the file has."""

from __future__ import annotations

import tracemalloc
from pathlib import Path

from rapport.imports.reading import open_table

ROWS = 200_000


def test_a_large_csv_is_read_in_bounded_memory(tmp_path: Path) -> None:
    path = tmp_path / "large.csv"
    with path.open("w", encoding="utf-8", newline="") as handle:
        handle.write("First name;Last name;E-mail;City;Notes\r\n")
        for number in range(ROWS):
            handle.write(
                f"Anna {number};Müller;anna.{number}@example.com;Köln;"
                f'"Met at the fair; wants a call back\r\nabout order {number}"\r\n'
            )
    size = path.stat().st_size

    tracemalloc.start()
    try:
        table = open_table(path)
        count = 0
        last = None
        for row in table.rows():
            count += 1
            last = row
        _current, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()

    assert count == ROWS
    assert last is not None
    assert last.line == ROWS + 1
    assert last.cells["E-mail"] == f"anna.{ROWS - 1}@example.com"
    assert size > 20_000_000
    # The reader holds a chunk of the file at a time (the encoding check reads 256 KiB ones).
    assert peak < 2 * 1024 * 1024, f"peak {peak:,} bytes for a {size:,}-byte file"
