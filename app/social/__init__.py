"""Following people and organisations, the personal feed, staff picks and project views."""
