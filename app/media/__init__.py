"""Uploaded images: judged, cleaned and re-encoded (pipeline), stored (storage), served (views)."""
