"""The labelled duplicate set is deterministic and holds every corruption and hard negative."""

from __future__ import annotations

from pathlib import Path

from bench.dedupe_data import generate, read_csv, write_csv


def test_the_generator_is_deterministic_and_labels_every_class(tmp_path: Path) -> None:
    rows = generate(150, seed=11)

    assert rows == generate(150, seed=11)
    assert rows != generate(150, seed=12)
    kinds = {row.kind for row in rows}
    assert {"original", "typo", "swapped", "nickname", "household", "namesake"} <= kinds
    path = tmp_path / "people.csv"
    write_csv(rows, path)
    assert read_csv(path) == rows


def test_hard_negatives_are_other_people_at_the_same_address_or_with_the_same_name() -> None:
    rows = generate(150, seed=11)
    originals = {row.entity_id: row for row in rows if row.kind == "original"}

    households = [row for row in rows if row.kind == "household"]
    assert households
    for member in households:
        assert any(
            o.street == member.street
            and o.last_name == member.last_name
            and o.entity_id != member.entity_id
            for o in originals.values()
        )
    namesakes = [row for row in rows if row.kind == "namesake"]
    assert all(
        any(
            (o.first_name, o.last_name) == (n.first_name, n.last_name)
            and o.entity_id != n.entity_id
            for o in originals.values()
        )
        for n in namesakes
    )
