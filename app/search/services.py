"""Keeping the index in step (index_document / remove_document) and querying it (search).

Every domain calls index_document when something searchable is created or edited and
remove_document when it is deleted; kinds so far: "designer", "project", and "call" (open calls).
Text is folded (app.text.fold) on the way in and on the way out, so that "ha noi" finds "Hà Nội"
and "do hoa" finds "đồ hoạ". The same interface runs on SQLite FTS5 and PostgreSQL full text.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

from sqlalchemy import and_, column, delete, func, literal_column, select, table, text
from sqlalchemy.orm import aliased

from app.accounts.models import User, UserStatus
from app.db_types import utcnow
from app.extensions import db
from app.pagination import Page
from app.search.models import SearchDocument
from app.text import fold

KINDS = ("designer", "project", "call")
# kind -> function that indexes every object of that kind again and returns how many.
REINDEXERS: dict[str, Callable[[], int]] = {}


def register_reindexer(kind: str, reindex: Callable[[], int]) -> None:
    """Let a domain rebuild its documents from `flask search reindex`."""
    REINDEXERS[kind] = reindex


MAX_TERMS = 8
PER_PAGE = 20
# A common word matches tens of thousands of documents; ranking them all cost 100 ms at 100,000
# designers. Only CANDIDATES matches are ranked (SQLite: the newest; PostgreSQL: the first the
# index yields), which keeps a search near 10 ms whatever the size of the index.
CANDIDATES = 500


def fold_words(*parts: str | None) -> str:
    """Folded text for the index: lower case, no diacritics, words kept."""
    return " ".join(fold(p) for p in parts if p)


def index_document(
    *,
    kind: str,
    object_id: int,
    title: str,
    body: str = "",
    url: str,
    owner_id: int | None = None,
    public: bool = True,
    summary: str = "",
    image_url: str | None = None,
) -> SearchDocument:
    """Create or update the search document of one thing (flushes, never commits)."""
    doc = db.session.scalar(
        select(SearchDocument).where(
            SearchDocument.kind == kind, SearchDocument.object_id == object_id
        )
    )
    if doc is None:
        doc = SearchDocument(kind=kind, object_id=object_id)
        db.session.add(doc)
    doc.title = title[:200]
    doc.summary = summary[:300]
    doc.url = url
    doc.image_url = image_url
    doc.owner_id = owner_id
    doc.is_public = public
    doc.search_text = fold_words(title, body)[:50_000]
    doc.updated_at = utcnow()
    db.session.flush()
    return doc


def remove_document(*, kind: str, object_id: int) -> None:
    """Drop one thing from the index (flushes, never commits)."""
    db.session.execute(
        delete(SearchDocument).where(
            SearchDocument.kind == kind, SearchDocument.object_id == object_id
        )
    )
    db.session.flush()


def query_terms(q: str) -> list[str]:
    """Folded words of a query; only letters and digits, so no query syntax reaches the engine."""
    return re.findall(r"\w+", fold(q))[:MAX_TERMS]


def search(q: str, *, kind: str | None = None, page: int = 1) -> Page[SearchDocument]:
    """Ranked public documents matching every word of q (prefixes match: "nguy" → "Nguyễn")."""
    terms = query_terms(q)
    if not terms:
        return Page(items=[], number=page, per_page=PER_PAGE, has_next=False)
    owner = aliased(User)
    visible = and_(
        SearchDocument.is_public.is_(True),
        # A document without an owner is visible; one with an owner only while they are public.
        (SearchDocument.owner_id.is_(None))
        | (owner.status == UserStatus.ACTIVE) & (owner.hidden_at.is_(None)),
    )
    # The kind and visibility filters run inside the capped candidate query: filtered after the
    # cap, 500 newer matches of another kind (or hidden ones) would leave nothing to show.
    wanted: list[Any] = [visible]
    if kind in KINDS:
        wanted.append(SearchDocument.kind == kind)
    if db.engine.dialect.name == "postgresql":
        tsquery = " & ".join(f"{t}:*" for t in terms)
        vector: Any = literal_column("to_tsvector('simple', search_documents.search_text)")
        matched = vector.op("@@")(func.to_tsquery(text("'simple'"), tsquery))
        rank = func.ts_rank(vector, func.to_tsquery(text("'simple'"), tsquery)).desc()
        # The first matches the GIN bitmap finds, unordered: ordering them (newest first, as on
        # SQLite) would read every match from the heap, 30,000 rows for a common word.
        candidates = (
            select(SearchDocument.id)
            .outerjoin(owner, owner.id == SearchDocument.owner_id)
            .where(matched, *wanted)
            .limit(CANDIDATES)
        )
        stmt = select(SearchDocument).where(SearchDocument.id.in_(candidates.scalar_subquery()))
    else:
        match = " ".join(f'"{t}"*' for t in terms)
        search_fts = table("search_fts", column("rowid"))
        rowid = search_fts.c.rowid
        fts = (
            select(
                SearchDocument.id.label("doc_id"),
                literal_column("bm25(search_fts)").label("score"),
            )
            .select_from(search_fts)
            .join(SearchDocument, SearchDocument.id == rowid)
            .outerjoin(owner, owner.id == SearchDocument.owner_id)
            .where(text("search_fts MATCH :match").bindparams(match=match), *wanted)
            .order_by(rowid.desc())
            .limit(CANDIDATES)
            .subquery("fts")
        )
        stmt = select(SearchDocument).join(fts, fts.c.doc_id == SearchDocument.id)
        rank = fts.c.score.asc()
    page = max(1, page)
    stmt = stmt.order_by(rank, SearchDocument.id.desc())
    stmt = stmt.limit(PER_PAGE + 1).offset((page - 1) * PER_PAGE)
    rows = list(db.session.scalars(stmt))
    return Page(
        items=rows[:PER_PAGE], number=page, per_page=PER_PAGE, has_next=len(rows) > PER_PAGE
    )


def reindex_all() -> dict[str, int]:
    """Index every registered kind again (flushes); how many documents per kind. Run by
    `flask search reindex` and nightly by the scheduler (app/jobs/periodic.py)."""
    return {kind: reindex() for kind, reindex in REINDEXERS.items()}
