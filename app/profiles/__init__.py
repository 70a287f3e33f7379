"""Profiles: what a designer or an organiser says about themselves, and the disciplines."""
