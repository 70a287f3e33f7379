"""Background work on a real queue (RQ on Redis), with the database as the source of truth."""
