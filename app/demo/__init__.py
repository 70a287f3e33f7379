"""Demo data: a believable network for development and screenshots. Never in production."""
