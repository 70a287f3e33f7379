"""Keeping the index in step (index_document / remove_document) and querying it (search).

Every domain calls index_document when something searchable is created or edited and
remove_document when it is deleted; kinds so far: "designer", "project", and "call" (open calls).
Text is folded (app.text.fold) on the way in and on the way out, so that "ha noi" finds "Hà Nội"
and "do hoa" finds "đồ hoạ". The same interface runs on SQLite FTS5 and PostgreSQL full text.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from functools import cache
from typing import Any, NamedTuple

from sqlalchemy import (
    Integer,
    String,
    and_,
    bindparam,
    column,
    delete,
    func,
    literal_column,
    select,
    table,
)
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


class Result(NamedTuple):
    """What a results page shows of one document (no ORM object, no search text)."""

    id: int
    kind: str
    title: str
    summary: str
    url: str
    image_url: str | None


@dataclass
class Results(Page[Result]):
    """A page of results; `total` counts the candidates (at most CANDIDATES), and `more` says
    that there were more matches than that ("more than 500 results")."""

    more: bool = False


SHOWN = (
    SearchDocument.id,
    SearchDocument.kind,
    SearchDocument.title,
    SearchDocument.summary,
    SearchDocument.url,
    SearchDocument.image_url,
)
# A page number past the candidates shows nothing: the view 404s beyond it.
MAX_PAGES = CANDIDATES // PER_PAGE


def _literal(number: int) -> Any:
    return bindparam(None, number, type_=Integer, literal_execute=True)


@cache
def _statement(dialect: str, *, by_kind: bool) -> Any:
    """The search statement, built once per database and kind filter (building it cost more
    CPU than running it); its parameters: `terms`, `kind` (with by_kind) and `offset`.

    The capped candidates (visible, of the kind asked for, scored), then one page of them in
    rank order with their number: a window count over at most CANDIDATES + 1 rows, never a
    count of every match."""
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
    if by_kind:
        wanted.append(SearchDocument.kind == bindparam("kind", type_=String))
    # The words, limits and offset are rendered into the SQL text at execution (the statement
    # stays cached): a prepared, generic plan could not tell a common word from a rare one and
    # would take the GIN index for every word, 100-400 ms for "poster" or "ha noi" at 100,000
    # designers instead of ~10.
    terms = bindparam("terms", type_=String, literal_execute=True)
    if dialect == "postgresql":
        tsquery = func.to_tsquery(literal_column("'simple'"), terms)
        # The stored, GIN-indexed tsvector (migration 0025): nothing is computed per row.
        vector: Any = literal_column("search_documents.search_vector")
        # The first matches the GIN bitmap finds, unordered: ordering them (newest first, as on
        # SQLite) would read every match from the heap, 30,000 rows for a common word.
        candidates = (
            select(*SHOWN, func.ts_rank(vector, tsquery).label("score"))
            .outerjoin(owner, owner.id == SearchDocument.owner_id)
            .where(vector.op("@@")(tsquery), *wanted)
            .limit(_literal(CANDIDATES + 1))
            .subquery("candidates")
        )
        best_first: Any = candidates.c.score.desc()
    else:
        search_fts = table("search_fts", column("rowid"))
        rowid = search_fts.c.rowid
        candidates = (
            select(*SHOWN, literal_column("bm25(search_fts)").label("score"))
            .select_from(search_fts)
            .join(SearchDocument, SearchDocument.id == rowid)
            .outerjoin(owner, owner.id == SearchDocument.owner_id)
            .where(literal_column("search_fts").op("MATCH")(terms), *wanted)
            .order_by(rowid.desc())
            .limit(_literal(CANDIDATES + 1))
            .subquery("candidates")
        )
        best_first = candidates.c.score.asc()
    return (
        select(*(candidates.c[c.key] for c in SHOWN), func.count().over().label("matches"))
        .order_by(best_first, candidates.c.id.desc())
        .limit(_literal(PER_PAGE + 1))
        .offset(bindparam("offset", type_=Integer, literal_execute=True))
    )


def search(q: str, *, kind: str | None = None, page: int = 1) -> Results:
    """Ranked public documents matching every word of q (prefixes match: "nguy" → "Nguyễn");
    at most CANDIDATES of them (see above), PER_PAGE a page."""
    page = max(1, page)
    terms = query_terms(q)
    if not terms:
        return Results(items=[], number=page, per_page=PER_PAGE, has_next=False, total=0)
    dialect = db.engine.dialect.name
    params: dict[str, Any] = {
        "terms": " & ".join(f"{t}:*" for t in terms)
        if dialect == "postgresql"
        else " ".join(f'"{t}"*' for t in terms),
        "offset": (page - 1) * PER_PAGE,
    }
    by_kind = kind in KINDS
    if by_kind:
        params["kind"] = kind
    rows = db.session.execute(_statement(dialect, by_kind=by_kind), params).all()
    # Past the last result the count is unknown (None); with no match at all it is 0.
    matches: int | None = rows[0].matches if rows else (0 if page == 1 else None)
    return Results(
        items=[Result(*row[:-1]) for row in rows[:PER_PAGE]],
        number=page,
        per_page=PER_PAGE,
        has_next=len(rows) > PER_PAGE and page * PER_PAGE < CANDIDATES,
        total=None if matches is None else min(matches, CANDIDATES),
        more=matches is not None and matches > CANDIDATES,
    )


def reindex_all() -> dict[str, int]:
    """Index every registered kind again (flushes); how many documents per kind. Run by
    `flask search reindex` and nightly by the scheduler (app/jobs/periodic.py)."""
    return {kind: reindex() for kind, reindex in REINDEXERS.items()}
