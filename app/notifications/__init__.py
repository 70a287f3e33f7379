"""In-app notifications (decisions, approvals, messages)."""
