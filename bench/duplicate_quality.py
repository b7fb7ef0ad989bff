"""Duplicate finding on a labelled set: Rapport's matcher against an unsupervised Splink model.

    .venv/bin/python bench/duplicate_quality.py [--people 5000] [--seed 5] \
        [--systems rapport,splink]

The set comes from `bench/dedupe_data.py` (generated people, duplicates with realistic
corruptions, hard negatives: households and namesakes; every row labelled with its true person).
Both systems run on the same rows, on the same machine, each in its own child process so its run
time and peak memory (max RSS) are its own:

- Rapport: the duplicate scan's own code over the rows (`scan_pairs(rows=...)`): blocking with
  `keys_of` (only records sharing a key are compared; keys shared by more than the scan's
  MAX_BLOCK records skipped), `score_people` on every candidate pair; a pair is a duplicate from
  `DEFAULT_THRESHOLD`.
- Splink 5 on DuckDB, unsupervised (no labels): the usual comparisons (forename/surname with
  Jaro-Winkler and swapped names, e-mail, phone, birthdate, postcode, company; no street: it
  moves with the postcode, and counting both broke Splink's independence assumption: more
  household false positives), blocking rules for prediction, lambda from deterministic rules,
  u by random sampling, m by EM; a pair is a duplicate from match probability 0.9.

Quality is pairwise: the true pairs are all pairs of rows of one person (a pair never proposed
because blocking kept it apart is a false negative). For each system: precision, recall, F1 at
its default threshold and at its best threshold (the upper bound a tuned threshold could reach),
recall per corruption class and the classes of its false positives.
"""

from __future__ import annotations

import argparse
import itertools
import json
import os
import platform
import resource
import subprocess
import sys
import tempfile
import time
import unicodedata
from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from bench.dedupe_data import Row, generate, read_csv, write_csv  # noqa: E402

SPLINK_THRESHOLD = 0.9
Pair = tuple[str, str]


def _pair(a: str, b: str) -> Pair:
    return (a, b) if a < b else (b, a)


# --- truth and metrics ---------------------------------------------------------------------


def true_pairs(rows: Sequence[Row]) -> dict[Pair, str]:
    """Every pair of rows of one person, with its class: the duplicate's corruption, or
    `two duplicates` when neither row is the person's original record."""
    by_entity: dict[int, list[Row]] = defaultdict(list)
    for row in rows:
        by_entity[row.entity_id].append(row)
    pairs: dict[Pair, str] = {}
    for group in by_entity.values():
        for a, b in itertools.combinations(group, 2):
            if a.kind == "original":
                label = b.kind
            elif b.kind == "original":
                label = a.kind
            else:
                label = "two duplicates"
            pairs[_pair(a.record_id, b.record_id)] = label
    return pairs


def _fold(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(c for c in decomposed if not unicodedata.combining(c)).casefold().strip()


def false_positive_class(a: Row, b: Row) -> str:
    """Why two different people may look alike: the hard negative they were built as, or
    what they happen to share."""
    kinds = {a.kind, b.kind}
    same_last = _fold(a.last_name) == _fold(b.last_name)
    same_first = _fold(a.first_name) == _fold(b.first_name)
    if "household" in kinds and same_last and _fold(a.street) == _fold(b.street):
        return "household"
    if "namesake" in kinds and same_last and same_first:
        return "namesake"
    if same_last and same_first:
        return "chance namesake"
    if a.phone and a.phone == b.phone:
        return "shared phone"
    return "other"


@dataclass
class Quality:
    threshold: float
    precision: float
    recall: float
    f1: float
    true_positives: int
    false_positives: int
    false_negatives: int


def quality_at(
    scores: Mapping[Pair, float], truth: Mapping[Pair, str], threshold: float
) -> Quality:
    predicted = {pair for pair, score in scores.items() if score >= threshold}
    tp = len(predicted & truth.keys())
    fp = len(predicted) - tp
    fn = len(truth) - tp
    return _quality(threshold, tp, fp, fn)


def _quality(threshold: float, tp: int, fp: int, fn: int) -> Quality:
    precision = tp / (tp + fp) if tp + fp else 1.0
    recall = tp / (tp + fn) if tp + fn else 1.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return Quality(threshold, precision, recall, f1, tp, fp, fn)


def best_quality(scores: Mapping[Pair, float], truth: Mapping[Pair, str]) -> Quality:
    """The threshold with the highest F1 (one pass over the pairs sorted by score)."""
    ranked = sorted(((score, pair in truth) for pair, score in scores.items()), reverse=True)
    best = _quality(1.0, 0, 0, len(truth))
    tp = fp = 0
    for index, (score, is_true) in enumerate(ranked):
        tp += is_true
        fp += not is_true
        if index + 1 < len(ranked) and ranked[index + 1][0] == score:
            continue  # a threshold takes every pair of the same score
        current = _quality(score, tp, fp, len(truth) - tp)
        if current.f1 > best.f1:
            best = current
    return best


@dataclass
class Evaluation:
    system: str
    rows: int
    candidate_pairs: int
    seconds: float
    cpu_seconds: float  # user + system time of every thread (DuckDB's too): steadier under load
    peak_rss_mb: float
    at_default: Quality
    at_best: Quality
    recall_by_class: dict[str, tuple[int, int]]  # class -> (found, total)
    false_positives_by_class: dict[str, int]
    notes: dict[str, Any] = field(default_factory=dict)


def evaluate(
    system: str,
    rows: Sequence[Row],
    scores: Mapping[Pair, float],
    threshold: float,
    *,
    seconds: float,
    cpu_seconds: float = 0.0,
    peak_rss_mb: float,
    notes: dict[str, Any] | None = None,
) -> Evaluation:
    truth = true_pairs(rows)
    by_id = {row.record_id: row for row in rows}
    found: Counter[str] = Counter()
    total: Counter[str] = Counter(truth.values())
    false_positives: Counter[str] = Counter()
    for pair, score in scores.items():
        if score < threshold:
            continue
        if pair in truth:
            found[truth[pair]] += 1
        else:
            false_positives[false_positive_class(by_id[pair[0]], by_id[pair[1]])] += 1
    return Evaluation(
        system=system,
        rows=len(rows),
        candidate_pairs=len(scores),
        seconds=seconds,
        cpu_seconds=cpu_seconds,
        peak_rss_mb=peak_rss_mb,
        at_default=quality_at(scores, truth, threshold),
        at_best=best_quality(scores, truth),
        recall_by_class={k: (found[k], total[k]) for k in sorted(total)},
        false_positives_by_class=dict(false_positives.most_common()),
        notes=notes or {},
    )


# --- the systems -----------------------------------------------------------------------------


def _as_mapping(row: Row) -> dict[str, Any]:
    """A generated row with the contact field names the matcher reads."""
    return {
        "first_name": row.first_name,
        "last_name": row.last_name,
        "email": row.email,
        "phone": row.phone,
        "company": row.company,
        "street": row.street,
        "postal_code": row.postcode,
        "city": row.city,
        "country": row.country,
        "birthdate": row.birthdate,
    }


def rapport_scores(rows: Sequence[Row]) -> tuple[dict[Pair, float], float, dict[str, Any]]:
    """Every candidate pair of the duplicate scan's in-memory path (`scan_pairs(rows=...)`:
    pairs sharing a `keys_of` key, blocks over MAX_BLOCK skipped, `score_people` on each), and
    the default threshold. Needs Django's app registry, not a database."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "rapport.settings")
    import django

    django.setup()
    from rapport.quality.dedupe import matching
    from rapport.quality.dedupe.scan import scan_pairs

    record_ids = [row.record_id for row in rows]
    mappings = [
        {**_as_mapping(row), "id": index, "record_type": "contact"}
        for index, row in enumerate(rows)
    ]
    scores = {
        _pair(record_ids[p.object_id], record_ids[p.other_id]): p.score
        for p in scan_pairs(
            "contact",
            rows=mappings,
            weights=matching.DEFAULT_WEIGHTS,
            threshold=matching.DEFAULT_THRESHOLD,
        )
    }
    return scores, matching.DEFAULT_THRESHOLD, {}


def _splink_record(row: Row) -> dict[str, Any]:
    """The light standardisation any Splink pipeline does first (lower case, accents off,
    phones to E.164, postcodes without spaces); empty values become NULL."""
    import phonenumbers

    def clean(text: str) -> str | None:
        return " ".join(_fold(text).split()) or None

    phone = None
    if row.phone:
        try:
            parsed = phonenumbers.parse(row.phone, row.country)
            phone = phonenumbers.format_number(parsed, phonenumbers.PhoneNumberFormat.E164)
        except phonenumbers.NumberParseException:
            phone = None
    first, last = clean(row.first_name), clean(row.last_name)
    return {
        "unique_id": row.record_id,
        "first_name": first,
        "surname": last,
        "full_name": f"{first} {last}" if first and last else None,
        "email": clean(row.email),
        "phone": phone,
        "company": clean(row.company),
        "street": clean(row.street),
        "postcode": (clean(row.postcode) or "").replace(" ", "").upper() or None,
        "city": clean(row.city),
        "birthdate": row.birthdate or None,
    }


def splink_scores(
    rows: Sequence[Row], seed: int
) -> tuple[dict[Pair, float], float, dict[str, Any]]:
    """An unsupervised Splink model (no labels) trained and run on the rows."""
    import logging

    import duckdb
    import pyarrow as pa
    import splink.comparison_library as cl
    from splink import DuckDBAPI, Linker, SettingsCreator, block_on

    logging.getLogger("splink").setLevel(logging.ERROR)
    connection = duckdb.connect(":memory:")
    connection.execute("SET threads TO 2")
    table = pa.Table.from_pylist([_splink_record(row) for row in rows])
    db_api = DuckDBAPI(connection)
    frame = db_api.register(table, dataset_display_name="people")
    settings = SettingsCreator(
        link_type="dedupe_only",
        comparisons=[
            cl.ForenameSurnameComparison(
                "first_name", "surname", forename_surname_concat_col_name="full_name"
            ),
            cl.EmailComparison("email"),
            cl.ExactMatch("phone"),
            cl.DateOfBirthComparison("birthdate", input_is_string=True),
            cl.ExactMatch("postcode"),
            cl.JaroWinklerAtThresholds("company", [0.9, 0.8]),
        ],
        blocking_rules_to_generate_predictions=[
            block_on("surname"),
            block_on("email"),
            block_on("phone"),
            block_on("birthdate"),
            block_on("postcode"),
            "l.first_name = r.surname and l.surname = r.first_name",
        ],
        retain_intermediate_calculation_columns=False,
        retain_matching_columns=False,
    )
    linker = Linker(frame, settings, log_level=logging.ERROR)
    linker.training.estimate_probability_two_random_records_match(
        [block_on("email"), block_on("first_name", "surname", "birthdate")], recall=0.7
    )
    linker.training.estimate_u_using_random_sampling(max_pairs=2e6, seed=seed)
    for rule in (block_on("first_name", "surname"), block_on("email"), block_on("birthdate")):
        linker.training.estimate_parameters_using_expectation_maximisation(
            rule, record_sample_proportion=1.0
        )
    predictions = linker.inference.predict(threshold_match_probability=0.001)
    relation = predictions.as_duckdbpyrelation().select(
        "unique_id_l, unique_id_r, match_probability"
    )
    scores = {_pair(a, b): float(p) for a, b, p in relation.fetchall()}
    return scores, SPLINK_THRESHOLD, {}


def _cpu_seconds() -> float:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def _peak_rss_mb() -> float:
    # ru_maxrss is in KiB on Linux.
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def run_system(system: str, rows: Sequence[Row], seed: int) -> Evaluation:
    """Score the rows with one system (in this process) and evaluate it."""
    started, cpu_started = time.perf_counter(), _cpu_seconds()
    if system == "rapport":
        scores, threshold, notes = rapport_scores(rows)
    elif system == "splink":
        scores, threshold, notes = splink_scores(rows, seed)
    else:
        raise ValueError(f"unknown system {system!r}")
    seconds, cpu_seconds = time.perf_counter() - started, _cpu_seconds() - cpu_started
    return evaluate(
        system,
        rows,
        scores,
        threshold,
        seconds=seconds,
        cpu_seconds=cpu_seconds,
        peak_rss_mb=_peak_rss_mb(),
        notes=notes,
    )


def run_isolated(system: str, data: Path, seed: int) -> Evaluation:
    """`run_system` in a fresh Python process: its time and peak memory are its own."""
    completed = subprocess.run(
        [
            sys.executable,
            str(Path(__file__).resolve()),
            *("--child", system, "--data", str(data), "--seed", str(seed)),
        ],
        check=True,
        capture_output=True,
        text=True,
    )
    return _evaluation_from_json(json.loads(completed.stdout.strip().splitlines()[-1]))


def _evaluation_from_json(data: dict[str, Any]) -> Evaluation:
    data["at_default"] = Quality(**data["at_default"])
    data["at_best"] = Quality(**data["at_best"])
    data["recall_by_class"] = {k: tuple(v) for k, v in data["recall_by_class"].items()}
    return Evaluation(**data)


# --- report ----------------------------------------------------------------------------------


def _pct(value: float) -> str:
    return f"{value * 100:.1f}"


def report(rows: Sequence[Row], results: Iterable[Evaluation], *, seed: int) -> str:
    results = list(results)
    kinds = Counter(row.kind for row in rows)
    people = len({row.entity_id for row in rows})
    lines = [
        f"{len(rows)} rows, {people} people (seed {seed}): {len(true_pairs(rows))} true pairs; "
        f"hard negatives: {kinds['household']} household members, {kinds['namesake']} namesakes",
        "",
        "| System | Threshold | Precision | Recall | F1 | Best threshold | P / R / F1 at best "
        "| Pairs scored | Wall / CPU time (s) | Peak RSS (MB) |",
        "| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |",
    ]
    for r in results:
        d, b = r.at_default, r.at_best
        lines.append(
            f"| {r.system} | {d.threshold:g} | {_pct(d.precision)} | {_pct(d.recall)} "
            f"| **{_pct(d.f1)}** | {b.threshold:.6g} "
            f"| {_pct(b.precision)} / {_pct(b.recall)} / {_pct(b.f1)} "
            f"| {r.candidate_pairs} | {r.seconds:.1f} / {r.cpu_seconds:.1f} | {r.peak_rss_mb:.0f} |"
        )
    classes = sorted({k for r in results for k in r.recall_by_class})
    lines += [
        "",
        "Recall per class at the default threshold (found / true pairs):",
        "",
        "| Class | " + " | ".join(r.system for r in results) + " |",
        "| --- |" + " --- |" * len(results),
    ]
    for name in classes:
        cells = []
        for r in results:
            found, total = r.recall_by_class.get(name, (0, 0))
            cells.append(f"{found}/{total} ({_pct(found / total if total else 1.0)})")
        lines.append(f"| {name} | " + " | ".join(cells) + " |")
    lines += ["", "False positives at the default threshold, by class:", ""]
    for r in results:
        parts = ", ".join(f"{k} {v}" for k, v in r.false_positives_by_class.items()) or "none"
        lines.append(f"- {r.system}: {parts}")
    return "\n".join(lines)


def machine() -> str:
    cpu = "unknown CPU"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    load = ", ".join(f"{x:.1f}" for x in os.getloadavg())
    return (
        f"{os.cpu_count()} vCPUs ({cpu}), Python {platform.python_version()}, "
        f"{datetime.now(UTC):%Y-%m-%d %H:%M} UTC, load average {load}"
    )


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--people", type=int, default=5000)
    parser.add_argument("--seed", type=int, default=5)
    parser.add_argument("--systems", default="rapport,splink")
    parser.add_argument("--data", type=Path, help="a CSV from dedupe_data.py instead of generating")
    parser.add_argument("--child", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)

    if args.child:
        evaluation = run_system(args.child, read_csv(args.data), args.seed)
        print(json.dumps(asdict(evaluation)))
        return 0

    with tempfile.TemporaryDirectory() as directory:
        data = args.data
        if data is None:
            data = Path(directory) / "people.csv"
            write_csv(generate(args.people, args.seed), data)
        rows = read_csv(data)
        results = [run_isolated(system, data, args.seed) for system in args.systems.split(",")]
    print(machine())
    print(report(rows, results, seed=args.seed))
    return 0


if __name__ == "__main__":
    sys.exit(main())
