"""The search index: one row per searchable thing (designer, project, call, ...)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from app.db_types import UTCDateTime, utcnow
from app.extensions import Model


class SearchDocument(Model):
    """Text folded with app.text.fold; the full-text index lives beside it (see the migrations):
    an FTS5 table kept by triggers on SQLite; on PostgreSQL a stored generated column
    `search_vector` (to_tsvector of search_text) with a GIN index (0025), left out of the model
    so that the ORM never loads or writes it."""

    __tablename__ = "search_documents"
    __table_args__ = (UniqueConstraint("kind", "object_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(20), index=True)
    object_id: Mapped[int] = mapped_column()
    title: Mapped[str] = mapped_column(String(200))
    summary: Mapped[str] = mapped_column(String(300), default="")
    url: Mapped[str] = mapped_column(String(300))
    image_url: Mapped[str | None] = mapped_column(String(300))
    # The person whose status decides visibility (a hidden or suspended owner's things vanish).
    owner_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="CASCADE"), index=True
    )
    is_public: Mapped[bool] = mapped_column(default=True)
    search_text: Mapped[str] = mapped_column(Text, default="")
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
