"""The labelled duplicate benchmark generates its set and scores both systems on a tiny one."""

from __future__ import annotations

from pathlib import Path

from bench.dedupe_data import generate, read_csv, write_csv
from bench.duplicate_quality import (
    best_quality,
    quality_at,
    report,
    run_isolated,
    run_system,
    true_pairs,
)


def test_metrics_count_unproposed_true_pairs_as_misses() -> None:
    truth = {("a", "b"): "typo", ("c", "d"): "moved"}
    scores = {("a", "b"): 0.9, ("a", "c"): 0.8, ("e", "f"): 0.2}

    at = quality_at(scores, truth, 0.5)
    assert (at.true_positives, at.false_positives, at.false_negatives) == (1, 1, 1)
    assert at.precision == 0.5
    assert at.recall == 0.5
    best = best_quality(scores, truth)
    assert best.threshold == 0.9
    assert (best.precision, best.recall) == (1.0, 0.5)


def test_both_systems_are_scored_on_a_tiny_set(tmp_path: Path) -> None:
    rows = generate(120, seed=3)

    rapport = run_system("rapport", rows, seed=3)
    splink = run_system("splink", rows, seed=3)

    assert rapport.at_default.threshold > 0
    assert splink.at_default.threshold == 0.9
    assert sum(total for _, total in rapport.recall_by_class.values()) == len(true_pairs(rows))
    assert rapport.at_default.recall > 0.5
    assert splink.candidate_pairs > 0
    table = report(rows, [rapport, splink], seed=3)
    assert "| rapport | " in table
    assert "| splink | 0.9 | " in table
    known = {"household", "namesake", "chance namesake", "shared phone", "other"}
    assert set(rapport.false_positives_by_class) <= known
    assert set(splink.false_positives_by_class) <= known


def test_a_system_runs_in_its_own_process(tmp_path: Path) -> None:
    path = tmp_path / "people.csv"
    write_csv(generate(60, seed=4), path)

    evaluation = run_isolated("rapport", path, seed=4)

    assert evaluation.system == "rapport"
    assert evaluation.rows == len(read_csv(path))
    assert evaluation.peak_rss_mb > 10
    assert evaluation.cpu_seconds > 0
    assert "| rapport | " in report(read_csv(path), [evaluation], seed=4)
