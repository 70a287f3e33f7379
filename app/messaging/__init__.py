"""Conversations between members: inbox, unread counts, blocking, email digests."""
