"""Categories (tracks) of a call: managed by the organiser, picked by applicants, each with its
own deadline and maximum of projects; shown on the call page, the table, the CSV and the export."""

from __future__ import annotations

import csv
import io
import re
from datetime import UTC, datetime, timedelta

import pytest
import time_machine
from sqlalchemy import func, select

from app.accounts.models import AccountType, User
from app.calls import services
from app.calls.models import CallCategory, OpenCall, Submission
from app.calls.owndata import export_submissions
from app.db_types import utcnow
from app.extensions import db
from app.home.queries import jury_seats
from demo import build
from tests.calls.factories import make_call, make_juror, make_project, make_submission
from tests.factories import make_user

DEADLINE = datetime(2030, 6, 30, 16, 59, tzinfo=UTC)  # 23:59 in Hà Nội


def _text(response) -> str:  # type: ignore[no-untyped-def]
    return response.get_data(as_text=True)


def _categories(call: OpenCall) -> list[str]:
    return list(
        db.session.scalars(
            select(CallCategory.name)
            .where(CallCategory.call_id == call.id)
            .order_by(CallCategory.position)
        )
    )


# ---------- Organiser: add and remove ----------


@pytest.mark.usefixtures("app")
def test_organiser_adds_a_category_with_its_own_deadline_in_the_call_zone(
    client, organiser: User
) -> None:
    call = make_call(owner=organiser, deadline_at=DEADLINE)
    db.session.commit()
    client.login_as(organiser)
    page = _text(client.get(f"/calls/{call.slug}/manage"))
    assert "Add the category" in page
    response = client.post_form(
        f"/calls/{call.slug}/categories",
        {
            "name": "Poster",
            "description": "Print **only** <script>alert(1)</script>",
            "deadline_date": "2030-06-20",
            "deadline_time": "18:00",
            "max_projects": "2",
        },
    )
    assert response.status_code == 302
    category = db.session.scalar(select(CallCategory))
    assert category is not None
    assert category.deadline_at == datetime(2030, 6, 20, 11, 0, tzinfo=UTC)  # 18:00 in Hà Nội
    assert category.max_projects == 2
    page = _text(client.get(f"/calls/{call.slug}"))
    assert "Categories" in page
    assert "Poster" in page
    assert "<strong>only</strong>" in page
    assert "<script>alert(1)" not in page


@pytest.mark.parametrize(
    ("form", "message"),
    [
        ({"name": "   "}, "Give the category a name."),
        ({"name": "poster"}, "This call already has a category with this name."),
        (
            {"name": "Late", "deadline_date": "2030-07-02", "deadline_time": "10:00"},
            "cannot be later than the call",
        ),
        ({"name": "Zero", "max_projects": "0"}, "Number must be between 1 and 10."),
        ({"name": "Many", "max_projects": "1000"}, "Number must be between 1 and 10."),
        ({"name": "Nul\x00"}, ""),
    ],
)
@pytest.mark.usefixtures("app")
def test_bad_categories_are_refused_with_the_input_kept(
    client, organiser: User, form: dict[str, str], message: str
) -> None:
    call = make_call(owner=organiser, deadline_at=DEADLINE)
    build.category(call, "Poster")
    db.session.commit()
    client.login_as(organiser)
    response = client.post_form(
        f"/calls/{call.slug}/categories", {"description": "Kept text", **form}
    )
    assert response.status_code in (400, 422)
    if response.status_code == 422:
        page = _text(response)
        assert message in page.replace("&#39;", "'")
        assert "Kept text" in page
    assert _categories(call) == ["Poster"]


@pytest.mark.usefixtures("app")
def test_removal_is_refused_once_someone_applied_in_the_category(client, organiser: User) -> None:
    call = make_call(owner=organiser)
    used = build.category(call, "Poster")
    unused = build.category(call, "Product")
    make_submission(call=call, applicant=make_user(), category_id=used.id)
    db.session.commit()
    client.login_as(organiser)
    response = client.post_form(
        f"/calls/{call.slug}/categories/{used.id}/delete", follow_redirects=True
    )
    assert "Someone applied in this category" in _text(response)
    client.post_form(f"/calls/{call.slug}/categories/{unused.id}/delete")
    assert _categories(call) == ["Poster"]


@pytest.mark.usefixtures("app")
def test_another_organisers_category_is_a_404(client, organiser: User) -> None:
    mine = make_call(owner=organiser)
    theirs = make_call(owner=make_user(account_type=AccountType.ORGANISER))
    other = build.category(theirs, "Theirs")
    db.session.commit()
    client.login_as(organiser)
    response = client.post_form(f"/calls/{mine.slug}/categories/{other.id}/delete")
    assert response.status_code == 404
    assert _categories(theirs) == ["Theirs"]


@pytest.mark.usefixtures("app")
def test_organiser_edits_a_category_people_applied_in(client, organiser: User) -> None:
    call = make_call(owner=organiser, deadline_at=DEADLINE)
    poster = build.category(
        call, "Poster", deadline_at=datetime(2030, 6, 20, 11, 0, tzinfo=UTC), max_projects=2
    )
    submission = make_submission(call=call, applicant=make_user(), category_id=poster.id)
    db.session.commit()
    client.login_as(organiser)
    page = _text(client.get(f"/calls/{call.slug}/manage"))
    prefix = f"category-{poster.id}"
    # The form holds what the category holds, its deadline in the call's zone (Hà Nội).
    assert re.search(rf'<input[^>]*id="{prefix}-name"[^>]*value="Poster"', page)
    assert re.search(rf'<input[^>]*id="{prefix}-deadline_date"[^>]*value="2030-06-20"', page)
    assert re.search(rf'<input[^>]*id="{prefix}-deadline_time"[^>]*value="18:00"', page)

    response = client.post_form(
        f"/calls/{call.slug}/categories/{poster.id}",
        {
            f"{prefix}-csrf_token": client.csrf_token(),
            f"{prefix}-name": "Áp phích",
            f"{prefix}-description": "In **một** mặt",
            f"{prefix}-deadline_date": "2030-06-25",
            f"{prefix}-deadline_time": "12:00",
            f"{prefix}-max_projects": "3",
        },
    )

    assert response.status_code == 302
    assert response.headers["Location"].endswith(f"#category-{poster.id}")
    db.session.expire_all()
    edited = db.session.get(CallCategory, poster.id)
    assert edited is not None
    assert (edited.name, edited.max_projects) == ("Áp phích", 3)
    assert edited.deadline_at == datetime(2030, 6, 25, 5, 0, tzinfo=UTC)  # 12:00 in Hà Nội
    assert db.session.get_one(Submission, submission.id).category_id == poster.id
    assert "<strong>một</strong>" in _text(client.get(f"/calls/{call.slug}"))


@pytest.mark.usefixtures("app")
def test_a_refused_edit_keeps_what_was_typed_and_changes_nothing(client, organiser: User) -> None:
    call = make_call(owner=organiser, deadline_at=DEADLINE)
    poster = build.category(call, "Poster")
    build.category(call, "Product")
    db.session.commit()
    client.login_as(organiser)
    prefix = f"category-{poster.id}"

    response = client.post_form(
        f"/calls/{call.slug}/categories/{poster.id}",
        {
            f"{prefix}-csrf_token": client.csrf_token(),
            f"{prefix}-name": "product",
            f"{prefix}-description": "Kept text",
        },
    )

    assert response.status_code == 422
    page = _text(response)
    assert "This call already has a category with this name." in page
    assert "Kept text" in page
    assert '<details class="category-edit" open>' in page
    assert _categories(call) == ["Poster", "Product"]


@pytest.mark.usefixtures("app")
def test_editing_another_organisers_category_is_a_404(client, organiser: User) -> None:
    mine = make_call(owner=organiser)
    theirs = make_call(owner=make_user(account_type=AccountType.ORGANISER))
    other = build.category(theirs, "Theirs")
    db.session.commit()
    client.login_as(organiser)
    prefix = f"category-{other.id}"
    response = client.post_form(
        f"/calls/{mine.slug}/categories/{other.id}",
        {f"{prefix}-csrf_token": client.csrf_token(), f"{prefix}-name": "Mine now"},
    )
    assert response.status_code == 404
    assert _categories(theirs) == ["Theirs"]


# ---------- Applying ----------


def _apply(client, call: OpenCall, project_ids: list[int], **extra: str):  # type: ignore[no-untyped-def]
    return client.post_form(
        f"/calls/{call.slug}/apply",
        {"statement": "Kept statement", "projects": [str(i) for i in project_ids], **extra},
    )


@pytest.mark.usefixtures("app")
def test_a_call_with_categories_needs_one_of_its_own(
    client, organiser: User, designer: User
) -> None:
    call = make_call(owner=organiser, deadline_at=DEADLINE)
    poster = build.category(call, "Poster")
    elsewhere = build.category(make_call(owner=organiser), "Elsewhere")
    project = make_project(owner=designer)
    db.session.commit()
    with time_machine.travel(DEADLINE - timedelta(days=20), tick=False):
        client.login_as(designer)
        page = _text(client.get(f"/calls/{call.slug}/apply"))
        assert 'name="category"' in page
        for sent in ({}, {"category": str(elsewhere.id)}, {"category": "abc"}):
            response = _apply(client, call, [project.id], submit="1", **sent)
            assert response.status_code == 422
            assert "Choose one of this call" in _text(response)
            assert "Kept statement" in _text(response)
        assert db.session.scalar(select(func.count(Submission.id))) == 0
        assert (
            _apply(client, call, [project.id], submit="1", category=str(poster.id)).status_code
            == 302
        )
    submission = db.session.scalar(select(Submission))
    assert submission is not None
    assert submission.category_id == poster.id


@pytest.mark.usefixtures("app")
def test_a_call_without_categories_is_unchanged(client, organiser: User, designer: User) -> None:
    call = make_call(owner=organiser)
    project = make_project(owner=designer)
    db.session.commit()
    client.login_as(designer)
    assert 'name="category"' not in _text(client.get(f"/calls/{call.slug}/apply"))
    assert _apply(client, call, [project.id], submit="1").status_code == 302
    submission = db.session.scalar(select(Submission))
    assert submission is not None
    assert submission.category_id is None


@pytest.mark.usefixtures("app")
def test_category_deadline_and_maximum_are_checked(organiser: User, designer: User) -> None:
    call = make_call(owner=organiser, deadline_at=DEADLINE)
    early = build.category(call, "Early", deadline_at=DEADLINE - timedelta(days=10))
    single = build.category(call, "Single", max_projects=1)
    p1, p2 = make_project(owner=designer), make_project(owner=designer)
    db.session.commit()
    after_early = DEADLINE - timedelta(days=5)
    with pytest.raises(services.CallError, match="“Early” is closed"):
        services.save_submission(
            call,
            applicant=designer,
            statement="",
            answers={},
            project_ids=[p1.id],
            submit=True,
            category_id=early.id,
            now=after_early,
        )
    with pytest.raises(services.CallError, match="at most 1"):
        services.save_submission(
            call,
            applicant=designer,
            statement="",
            answers={},
            project_ids=[p1.id, p2.id],
            submit=True,
            category_id=single.id,
            now=after_early,
        )
    submission = services.save_submission(
        call,
        applicant=designer,
        statement="",
        answers={},
        project_ids=[p1.id],
        submit=True,
        category_id=single.id,
        now=after_early,
    )
    assert submission.category_id == single.id


@pytest.mark.usefixtures("app")
def test_a_category_id_on_a_call_without_categories_is_refused(
    organiser: User, designer: User
) -> None:
    call = make_call(owner=organiser)
    other = build.category(make_call(owner=organiser), "Other")
    project = make_project(owner=designer)
    db.session.commit()
    with pytest.raises(services.CallError, match="no categories"):
        services.save_submission(
            call,
            applicant=designer,
            statement="",
            answers={},
            project_ids=[project.id],
            submit=True,
            category_id=other.id,
        )


# ---------- Table, CSV, export ----------


@pytest.mark.usefixtures("app")
def test_table_shows_and_filters_by_category_and_csv_has_it(client, organiser: User) -> None:
    call = make_call(owner=organiser)
    poster = build.category(call, "Poster")
    product = build.category(call, "=Product")  # a formula-looking name stays text in the CSV
    make_submission(
        call=call, applicant=make_user(display_name="Lê Văn Poster"), category_id=poster.id
    )
    make_submission(
        call=call, applicant=make_user(display_name="Trần Thị Product"), category_id=product.id
    )
    db.session.commit()
    client.login_as(organiser)
    page = _text(client.get(f"/calls/{call.slug}/submissions"))
    assert "Lê Văn Poster" in page
    assert "Trần Thị Product" in page
    filtered = _text(client.get(f"/calls/{call.slug}/submissions?category={poster.id}"))
    assert "Lê Văn Poster" in filtered
    assert "Trần Thị Product" not in filtered
    rows = list(
        csv.DictReader(
            io.StringIO(_text(client.get(f"/calls/{call.slug}/submissions.csv")).lstrip("\ufeff"))
        )
    )
    assert sorted(r["category"] for r in rows) == ["'=Product", "Poster"]


@pytest.mark.usefixtures("app")
def test_own_data_export_names_the_category(organiser: User, designer: User) -> None:
    call = make_call(owner=organiser)
    poster = build.category(call, "Poster")
    make_submission(call=call, applicant=designer, category_id=poster.id)
    db.session.commit()
    part = export_submissions(designer)
    assert [s["category"] for s in part.data] == ["Poster"]


# ---------- Query counts ----------


def _count(client, count_queries, url: str) -> int:  # type: ignore[no-untyped-def]
    client.get(url)
    with count_queries() as q:
        response = client.get(url)
    assert response.status_code == 200
    return int(q.count)


@pytest.mark.usefixtures("app")
def test_query_counts_stay_constant_with_one_or_five_categories(
    client, count_queries, organiser: User, designer: User
) -> None:
    call = make_call(owner=organiser)
    juror = make_user()
    make_juror(call=call, user=juror)
    first = build.category(call, "Track 0", deadline_at=call.deadline_at - timedelta(days=1))
    make_submission(call=call, applicant=make_user(), category_id=first.id)
    make_project(owner=designer)
    db.session.commit()

    def counts() -> list[int]:
        client.login_as(designer)
        seen = [_count(client, count_queries, f"/calls/{call.slug}")]
        seen.append(_count(client, count_queries, f"/calls/{call.slug}/apply"))
        client.login_as(organiser)
        seen.append(_count(client, count_queries, f"/calls/{call.slug}/submissions"))
        seen.append(_count(client, count_queries, f"/calls/{call.slug}/manage"))
        return seen

    few = counts()
    for i in range(1, 5):
        category = build.category(call, f"Track {i}", max_projects=2)
        make_submission(call=call, applicant=make_user(), category_id=category.id)
    db.session.commit()
    assert counts() == few
    assert utcnow()  # the clock is real here: nothing depends on it


# ---------- A category's own jury ----------


@pytest.mark.usefixtures("app")
def test_a_categorys_own_jury_sees_only_its_submissions(client, organiser: User) -> None:
    call = make_call(owner=organiser)
    poster = build.category(call, "Poster")
    product = build.category(call, "Product")
    anh, binh = make_user(display_name="Juror Anh"), make_user(display_name="Juror Bình")
    seat_anh = make_juror(call=call, user=anh)
    make_juror(call=call, user=binh)
    in_poster = make_submission(
        call=call, applicant=make_user(display_name="Lê Văn Poster"), category_id=poster.id
    )
    in_product = make_submission(
        call=call, applicant=make_user(display_name="Trần Thị Product"), category_id=product.id
    )
    db.session.commit()
    client.login_as(organiser)
    assert "Own jury of “Poster”" in _text(client.get(f"/calls/{call.slug}/manage"))
    response = client.post_form(
        f"/calls/{call.slug}/categories/{poster.id}/jury", {"jurors": [str(seat_anh.id)]}
    )
    assert response.status_code == 302
    # Anh, on Poster's own jury, sees Poster and Product (Product has no jury of its own).
    client.login_as(anh)
    page = _text(client.get(f"/calls/{call.slug}/submissions"))
    assert "Lê Văn Poster" in page
    assert "Trần Thị Product" in page
    # Bình, not on Poster's jury, sees Product only and gets a 404 on Poster's submission.
    client.login_as(binh)
    page = _text(client.get(f"/calls/{call.slug}/submissions"))
    assert "Lê Văn Poster" not in page
    assert "Trần Thị Product" in page
    assert client.get(f"/calls/{call.slug}/submissions/{in_poster.id}").status_code == 404
    assert client.get(f"/calls/{call.slug}/submissions/{in_product.id}").status_code == 200
    review = client.post_form(
        f"/calls/{call.slug}/submissions/{in_poster.id}/review", {"score": "5"}
    )
    assert review.status_code == 404
    # The organiser still sees both.
    client.login_as(organiser)
    page = _text(client.get(f"/calls/{call.slug}/submissions"))
    assert "Lê Văn Poster" in page
    assert "Trần Thị Product" in page


@pytest.mark.usefixtures("app")
def test_a_category_jury_takes_only_the_calls_accepted_jurors(organiser: User) -> None:
    call = make_call(owner=organiser)
    poster = build.category(call, "Poster")
    other_seat = make_juror(call=make_call(owner=organiser), user=make_user())
    db.session.commit()
    with pytest.raises(services.CallError, match="accepted"):
        services.set_category_jury(poster, actor=organiser, juror_ids=[other_seat.id])
    assert poster.jurors == []


@pytest.mark.usefixtures("app")
def test_the_home_counts_only_what_a_juror_reviews(organiser: User) -> None:
    call = make_call(owner=organiser)
    poster = build.category(call, "Poster")
    anh, binh = make_user(), make_user()
    poster.jurors = [make_juror(call=call, user=anh)]
    make_juror(call=call, user=binh)
    make_submission(call=call, applicant=make_user(), category_id=poster.id)
    make_submission(call=call, applicant=make_user())
    db.session.commit()
    assert [s.submitted for s in jury_seats(anh, limit=5)] == [2]
    assert [s.submitted for s in jury_seats(binh, limit=5)] == [1]
