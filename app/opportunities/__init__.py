"""Opportunities that come to the designer: saved calls, alerts and personal feeds."""
