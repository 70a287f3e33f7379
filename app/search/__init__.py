"""Site search: one table of documents, ranked full-text on SQLite (FTS5) and PostgreSQL."""
