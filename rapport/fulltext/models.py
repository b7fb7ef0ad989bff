"""No models: the search index lives in the records' own tables (PostgreSQL) or in FTS5 tables
created by this app's migrations (SQLite). The module exists so Django sends this app the
post-migrate signal that repairs them (rapport.fulltext.apps)."""
