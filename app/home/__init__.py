"""A home for each person (`/me`): their applications, juries, calls, queues and first steps."""
