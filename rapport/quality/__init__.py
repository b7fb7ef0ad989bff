"""Clean data (issue 5), one Django app per concern so each keeps its own models and migrations:

- rules: admin-defined validation rules on the conditions engine (rapport.core.conditions);
- cleaning: normalisation on every write, the field glossary, flags of wrong data, stale queues;
- dedupe: match keys, duplicate checks at entry, the duplicate scan and its review queue;
- merge: merging two or three records, re-pointing related records, undo;
- scores: data-quality scores, the dashboard, turnover (reassigning a leaver's records).
"""
