"""Organisations: an organiser's description of who they are, and the directory of verified ones."""
