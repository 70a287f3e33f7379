"""Outgoing email: queued in the database in the same transaction as the change it reports,
then delivered by `flask mail send` (and right after the request in development), retried
with back-off, never silently dropped."""
