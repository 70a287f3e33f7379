"""Accounts: sign-up, verification, log-in, sessions, passwords, settings."""
