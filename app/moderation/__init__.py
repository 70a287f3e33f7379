"""Moderation: review of members, reports, actions and the append-only log."""
