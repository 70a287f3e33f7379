"""Review rounds: weighted criteria, opening with a selection, scores per criterion,
normalisation per juror, the paged table, the CSV, and assignment of jurors."""

from __future__ import annotations

import csv
import io
import re
from typing import Any

import pytest
from sqlalchemy import func, select

from app.accounts.models import User
from app.calls import round_queries, rounds
from app.calls.models import Decision, OpenCall, Review, Submission
from app.calls.round_models import (
    AssignmentMode,
    CriterionScore,
    ReviewRound,
    RoundAssignment,
    RoundEntry,
    RoundStatus,
    RoundSubmission,
)
from app.extensions import db
from demo import build
from tests.calls.factories import make_call, make_juror, make_submission
from tests.factories import make_user


def _text(response: Any) -> str:
    return response.get_data(as_text=True)


def _rubric(item: ReviewRound, *rows: tuple[str, int]) -> None:
    rounds.save_criteria(item, [rounds.CriterionRow(n, str(w)) for n, w in rows])


def _call_with_jury(organiser: User, jurors: int = 2, **kw: Any) -> tuple[OpenCall, list[User]]:
    call = make_call(owner=organiser, **kw)
    people = [make_user(display_name=f"Juror {i}") for i in range(jurors)]
    for person in people:
        make_juror(call=call, user=person)
    return call, people


# ---------- The maths ----------


def test_normalisation_by_hand() -> None:
    """Juror 1 scores 5, 3, 4 (mean 4, sd √(2/3)); juror 2 scores 2, 2 (no spread: raw).
    All five scores: mean 3.2, sd √1.36. Juror 1's 5 → 3.2 + 1.2247 × 1.16619 = 4.6283."""
    found = rounds.normalise([(1, 10, 5.0), (1, 11, 3.0), (1, 12, 4.0), (2, 10, 2.0), (2, 11, 2.0)])
    assert found[10].count == 2
    assert found[10].weighted == pytest.approx(3.5)
    assert found[10].normalised == pytest.approx((4.628285 + 2) / 2, abs=1e-5)
    assert found[11].weighted == pytest.approx(2.5)
    assert found[11].normalised == pytest.approx((1.771715 + 2) / 2, abs=1e-5)
    # Juror 1's own mean (4) sits at the round's mean.
    assert found[12].normalised == pytest.approx(3.2)


def test_a_harsh_and_a_lenient_juror_count_alike() -> None:
    # Same ranking, one juror two points lower: normalised averages agree, raw ones do not.
    found = rounds.normalise([(1, 1, 5.0), (1, 2, 3.0), (2, 3, 3.0), (2, 4, 1.0)])
    assert found[1].normalised == pytest.approx(found[3].normalised)
    assert found[2].normalised == pytest.approx(found[4].normalised)
    assert found[1].weighted != found[3].weighted


def test_a_single_score_and_no_scores_stay_raw() -> None:
    assert rounds.normalise([]) == {}
    only = rounds.normalise([(7, 1, 4.0)])
    assert only[1].normalised == pytest.approx(4.0)


@pytest.mark.usefixtures("app")
def test_weighted_score_by_hand(organiser: User) -> None:
    call = make_call(owner=organiser)
    item = rounds.rounds_of(call)[0]
    _rubric(item, ("Originality", 40), ("Craft", 30), ("Relevance", 30))
    o, c, r = item.criteria
    # 0.4 × 5 + 0.3 × 3 + 0.3 × 4 = 4.1
    assert rounds.weighted_score(item.criteria, {o.id: 5, c.id: 3, r.id: 4}) == pytest.approx(4.1)


# ---------- Rounds and criteria ----------


@pytest.mark.usefixtures("app")
def test_a_new_call_has_a_default_open_round_with_overall(organiser: User) -> None:
    call = make_call(owner=organiser)
    (item,) = rounds.rounds_of(call)
    assert item.name == "Round 1"
    assert item.status == RoundStatus.OPEN
    assert [(c.name, c.weight) for c in item.criteria] == [("Overall", 100)]


@pytest.mark.usefixtures("app")
def test_weights_must_make_100_and_nothing_is_half_saved(client: Any, organiser: User) -> None:
    call = make_call(owner=organiser)
    item = rounds.rounds_of(call)[0]
    db.session.commit()
    client.login_as(organiser)
    url = f"/calls/{call.slug}/rounds/{item.id}"
    response = client.post_form(
        f"{url}/criteria",
        {"criterion_name": ["Originality", "Craft"], "criterion_weight": ["40", "30"]},
    )
    assert response.status_code == 422
    page = _text(response)
    assert "The weights add up to 70 %, not 100 %." in page
    assert 'value="Originality"' in page  # the input is kept
    db.session.expire_all()
    assert [c.name for c in rounds.rounds_of(call)[0].criteria] == ["Overall"]
    for names, weights, message in [
        (["", ""], ["", ""], "A round needs at least one criterion."),
        (["A", "a"], ["50", "50"], "Two criteria have the same name."),
        (["A", ""], ["50", "50"], "Each criterion needs a name."),
        (["<script>x</script>"], ["1e2"], "must be a whole number from 1 to 100"),
    ]:
        response = client.post_form(
            f"{url}/criteria", {"criterion_name": names, "criterion_weight": weights}
        )
        assert response.status_code == 422
        assert message in _text(response).replace("&#34;", '"').replace("&#39;", "'")
    response = client.post_form(
        f"{url}/criteria",
        {
            "criterion_name": ["Originality", "Craft", "Relevance", ""],
            "criterion_weight": ["40", "30", "30", ""],
        },
    )
    assert response.status_code == 302
    db.session.expire_all()
    assert [(c.name, c.weight) for c in rounds.rounds_of(call)[0].criteria] == [
        ("Originality", 40),
        ("Craft", 30),
        ("Relevance", 30),
    ]


@pytest.mark.usefixtures("app")
def test_a_round_without_criteria_does_not_open_and_one_round_is_open_at_a_time(
    organiser: User,
) -> None:
    call = make_call(owner=organiser)
    make_submission(call=call, applicant=make_user())
    first = rounds.rounds_of(call)[0]
    final = rounds.add_round(call, data=rounds.RoundData(name="Final"))
    with pytest.raises(rounds.RoundError, match="Close “Round 1” first"):
        rounds.open_round(final, call, entry=RoundEntry.ALL)
    rounds.close_round(first)
    final.criteria.clear()
    db.session.flush()
    with pytest.raises(rounds.RoundError, match="at least one criterion"):
        rounds.open_round(final, call, entry=RoundEntry.ALL)
    assert final.status == RoundStatus.DRAFT


@pytest.mark.usefixtures("app")
def test_the_next_round_takes_the_shortlisted_or_those_above_a_score(organiser: User) -> None:
    call, (a, b) = _call_with_jury(organiser)
    subs = [make_submission(call=call, applicant=make_user()) for _ in range(3)]
    for s, score in zip(subs, (5, 3, 2), strict=True):
        build.review(s, a, score=score)
        build.review(s, b, score=score)
    first = rounds.rounds_of(call)[0]
    rounds.close_round(first)
    final = rounds.add_round(call, data=rounds.RoundData(name="Final", scale=10))
    with pytest.raises(rounds.RoundError, match="from 1 to 5"):
        rounds.open_round(final, call, entry=RoundEntry.ABOVE, threshold=7)
    assert rounds.open_round(final, call, entry=RoundEntry.ABOVE, threshold=3) == 2
    entered = set(
        db.session.scalars(
            select(RoundSubmission.submission_id).where(RoundSubmission.round_id == final.id)
        )
    )
    assert entered == {subs[0].id, subs[1].id}
    for juror in (None, a):
        page = round_queries.table_page(call, final, number=1, juror=juror)
        assert {r.submission.id for r in page.items} == entered
    rounds.close_round(final)
    shortlist = rounds.add_round(call, data=rounds.RoundData(name="Prizes"))
    with pytest.raises(rounds.RoundError, match="the round would be empty"):
        rounds.open_round(shortlist, call, entry=RoundEntry.SHORTLISTED)
    subs[2].decision = Decision.SHORTLISTED
    db.session.flush()
    assert rounds.open_round(shortlist, call, entry=RoundEntry.SHORTLISTED) == 1


# ---------- Scoring per criterion ----------


@pytest.mark.usefixtures("app")
def test_a_juror_scores_each_criterion_with_comments(client: Any, organiser: User) -> None:
    call, (juror, other) = _call_with_jury(organiser)
    item = rounds.rounds_of(call)[0]
    _rubric(item, ("Originality", 40), ("Craft", 30), ("Relevance", 30))
    submission = make_submission(call=call, applicant=make_user())
    build.review(submission, other, scores=[1, 1, 1], comment="Weak typography")
    db.session.commit()
    client.login_as(juror)
    url = f"/calls/{call.slug}/submissions/{submission.id}"
    page = _text(client.get(url))
    assert "Weak typography" not in page
    assert page.count('type="radio"') == 15
    o, c, r = item.criteria
    data = {"round": str(item.id), f"score-{o.id}": "5", f"score-{c.id}": "3"}
    data |= {f"comment-{o.id}": "Bold idea", "comment": "A strong entry"}
    response = client.post_form(f"{url}/review", data)
    assert response.status_code == 422
    page = _text(response)
    assert "Score “Relevance” from 1 to 5." in page
    assert "Bold idea" in page  # kept as typed
    assert "Weak typography" not in page
    data[f"score-{r.id}"] = "9"
    assert client.post_form(f"{url}/review", data).status_code == 422
    data[f"score-{r.id}"] = "4"
    assert client.post_form(f"{url}/review", data).status_code == 302
    review = db.session.scalar(
        select(Review).where(Review.juror_id == juror.id, Review.round_id == item.id)
    )
    assert review is not None
    assert review.score == pytest.approx(4.1)
    assert review.comment == "A strong entry"
    assert {s.criterion_id: (s.score, s.comment) for s in review.scores}[o.id] == (5, "Bold idea")
    page = _text(client.get(url))
    assert "Weak typography" in page
    assert "1.00/5" in page
    entry = db.session.scalar(select(RoundSubmission).where(RoundSubmission.round_id == item.id))
    assert entry is not None
    assert entry.review_count == 2
    assert entry.weighted == pytest.approx((4.1 + 1) / 2)


@pytest.mark.usefixtures("app")
def test_earlier_rounds_scores_show_only_if_the_organiser_says_so(
    client: Any, organiser: User
) -> None:
    call, (juror, other) = _call_with_jury(organiser)
    submission = make_submission(call=call, applicant=make_user())
    build.review(submission, other, score=2, comment="Shaky in round one")
    first = rounds.rounds_of(call)[0]
    rounds.close_round(first)
    final = rounds.add_round(call, data=rounds.RoundData(name="Final"))
    rounds.open_round(final, call, entry=RoundEntry.ALL)
    db.session.commit()
    client.login_as(juror)
    url = f"/calls/{call.slug}/submissions/{submission.id}"
    assert "Shaky in round one" not in _text(client.get(url))
    final.show_earlier = True
    db.session.commit()
    assert "Shaky in round one" in _text(client.get(url))


# ---------- The table: paged, sorted in SQL, constant queries ----------


def _fill(call: OpenCall, jurors: list[User], count: int) -> None:
    item = rounds.rounds_of(call)[0]
    for i in range(count):
        s = make_submission(call=call, applicant=make_user(), projects=0)
        for j, juror in enumerate(jurors):
            db.session.add(
                Review(
                    submission_id=s.id,
                    juror_id=juror.id,
                    round_id=item.id,
                    score=float(1 + (i + j) % 5),
                )
            )
    db.session.flush()
    rounds.recompute(item)
    db.session.commit()


def _queries(client: Any, count_queries: Any, url: str) -> int:
    client.get(url)
    with count_queries() as q:
        response = client.get(url)
    assert response.status_code == 200
    return int(q.count)


@pytest.mark.usefixtures("app")
@pytest.mark.parametrize(
    ("size", "jury", "assigned"),
    [(2, 1, False), (2, 8, False), (500, 1, False), (500, 8, False), (2, 8, True), (500, 8, True)],
)
def test_the_table_takes_at_most_eight_queries(
    client: Any, count_queries: Any, organiser: User, size: int, jury: int, assigned: bool
) -> None:
    call, jurors = _call_with_jury(organiser, jurors=jury)
    item = rounds.rounds_of(call)[0]
    _rubric(item, *[(f"C{i}", w) for i, w in enumerate([30, 30, 10, 10, 10, 10])])
    _fill(call, jurors, size)
    if assigned:
        item = rounds.rounds_of(call)[0]
        item.assignment = AssignmentMode.PER_SUBMISSION
        item.jurors_per_submission = 8
        rounds.auto_assign(item, call)
        db.session.commit()
    url = f"/calls/{call.slug}/submissions"
    client.login_as(organiser)
    assert _queries(client, count_queries, url) <= 8
    assert _queries(client, count_queries, url + "?sort=-normalised&page=2") <= 8 or size == 2
    client.login_as(jurors[0])
    assert _queries(client, count_queries, url) <= 8


@pytest.mark.usefixtures("app")
def test_the_table_pages_by_50_and_sorts_by_weighted_or_normalised(
    client: Any, organiser: User
) -> None:
    call, (harsh, lenient) = _call_with_jury(organiser)
    item = rounds.rounds_of(call)[0]
    subs = []
    for i in range(52):
        s = make_submission(call=call, applicant=make_user(display_name=f"Applicant {i:02d}"))
        subs.append(s)
    # The harsh juror saw 0..49 (scores 1–2), the lenient one only 50 and 51 (5 and 4).
    for i, s in enumerate(subs[:50]):
        db.session.add(
            Review(
                submission_id=s.id,
                juror_id=harsh.id,
                round_id=item.id,
                score=2.0 if i == 0 else 1.0,
            )
        )
    db.session.add(
        Review(submission_id=subs[50].id, juror_id=lenient.id, round_id=item.id, score=5.0)
    )
    db.session.add(
        Review(submission_id=subs[51].id, juror_id=lenient.id, round_id=item.id, score=4.0)
    )
    db.session.flush()
    rounds.recompute(item)
    db.session.commit()
    client.login_as(organiser)
    url = f"/calls/{call.slug}/submissions"
    first = _text(client.get(url))
    names = re.findall(r"Applicant \d\d", first)
    assert len(names) == 50
    assert names[:2] == ["Applicant 50", "Applicant 51"]  # raw: 5, 4 first
    assert 'rel="next"' in first
    second = re.findall(r"Applicant \d\d", _text(client.get(url + "?page=2")))
    assert len(second) == 2
    # Normalised, the harsh juror's best (2 of mostly 1s) comes before the lenient's 4.
    names = re.findall(r"Applicant \d\d", _text(client.get(url + "?sort=-normalised")))
    assert names[0] == "Applicant 00"
    assert "Applicant 51" not in names  # the lenient juror's lower score falls to page 2
    assert client.get(url + "?page=9999").status_code == 404


@pytest.mark.usefixtures("app")
@pytest.mark.parametrize(
    "sort", ["-weighted", "weighted", "-normalised", "submitted", "-submitted"]
)
def test_the_table_pages_reach_every_submission_once_in_the_chosen_order(
    client: Any, organiser: User, sort: str
) -> None:
    """Many averages tie (five scores for 120 applications): the pages neither repeat nor skip
    anyone, and read one after the other they are in the order asked for."""
    call, jurors = _call_with_jury(organiser, jurors=1)
    item = rounds.rounds_of(call)[0]
    _fill(call, jurors, 120)
    client.login_as(organiser)
    url = f"/calls/{call.slug}/submissions?sort={sort}"
    seen: list[int] = []
    for number in range(1, 10):
        body = _text(client.get(f"{url}&page={number}"))
        seen += [int(i) for i in re.findall(r'name="selected" value="(\d+)"', body)]
        if 'rel="next"' not in body:
            break
    assert number == 3  # 50 + 50 + 20
    averages = dict(
        db.session.execute(
            select(RoundSubmission.submission_id, RoundSubmission.weighted).where(
                RoundSubmission.round_id == item.id
            )
        ).all()
    )
    submitted = dict(
        db.session.execute(
            select(Submission.id, Submission.submitted_at).where(Submission.call_id == call.id)
        ).all()
    )
    assert sorted(seen) == sorted(submitted)  # each exactly once
    if sort in ("-weighted", "weighted"):
        shown = [averages[i] or 0 for i in seen]
        assert shown == sorted(shown, reverse=sort.startswith("-"))
    if sort in ("submitted", "-submitted"):
        keys = [(submitted[i], i) for i in seen]
        assert [k[0] for k in keys] == sorted((k[0] for k in keys), reverse=sort == "-submitted")


@pytest.mark.usefixtures("app")
def test_csv_has_a_column_per_criterion_and_round_and_stays_formula_safe(
    client: Any, organiser: User
) -> None:
    call, (juror,) = _call_with_jury(organiser, jurors=1)
    item = rounds.rounds_of(call)[0]
    _rubric(item, ("=HYPERLINK(1)", 60), ("Craft", 40))
    item.name = "+Shortlist"
    s = make_submission(call=call, applicant=make_user(display_name="@evil"))
    build.review(s, juror, scores=[5, 2], comment="-1+1")
    db.session.commit()
    client.login_as(organiser)
    body = _text(client.get(f"/calls/{call.slug}/submissions.csv")).lstrip("\ufeff")
    rows = list(csv.reader(io.StringIO(body)))
    header, row = rows[0], rows[1]
    assert row[header.index("'+Shortlist: =HYPERLINK(1) (60%)")] == "5.00"
    assert row[header.index("'+Shortlist: Craft (40%)")] == "2.00"
    assert row[header.index("'+Shortlist: weighted")] == "3.80"
    assert row[header.index("'+Shortlist: normalised")] == "3.80"
    assert row[header.index("average")] == "3.80"
    assert row[1] == "'@evil"
    assert all(not cell.startswith(("=", "+", "-", "@")) for cell in row)


# ---------- Assignment ----------


def _assigned(item: ReviewRound) -> list[tuple[int, int]]:
    return [
        (a.submission_id, a.juror_id)
        for a in db.session.scalars(
            select(RoundAssignment).where(RoundAssignment.round_id == item.id)
        )
    ]


@pytest.mark.usefixtures("app")
def test_two_jurors_per_submission_balanced_and_conflicts_respected(organiser: User) -> None:
    call, jurors = _call_with_jury(organiser, jurors=4)
    subs = [make_submission(call=call, applicant=make_user()) for _ in range(6)]
    first = rounds.rounds_of(call)[0]
    rounds.declare_conflict(subs[0], first, call, juror=jurors[0])
    rounds.close_round(first)
    final = rounds.add_round(
        call,
        data=rounds.RoundData(
            name="Final", assignment=AssignmentMode.PER_SUBMISSION, jurors_per_submission=2
        ),
    )
    rounds.open_round(final, call, entry=RoundEntry.ALL)
    pairs = _assigned(final)
    assert len(pairs) == 12
    loads = [sum(1 for _s, j in pairs if j == u.id) for u in jurors]
    assert loads == [3, 3, 3, 3]
    assert (subs[0].id, jurors[0].id) not in pairs
    with pytest.raises(rounds.RoundError, match="declared a conflict of interest"):
        rounds.assign(final, call, subs[0], jurors[0])
    outsider = make_user()
    with pytest.raises(rounds.RoundError, match="does not sit on this call's jury"):
        rounds.assign(final, call, subs[0], outsider)
    progress = {p.juror.id: p for p in rounds.progress(final, call)}
    assert progress[jurors[1].id].assigned == 3
    assert progress[jurors[1].id].scored == 0


@pytest.mark.usefixtures("app")
def test_a_juror_sees_only_their_assignments(client: Any, organiser: User) -> None:
    call, jurors = _call_with_jury(organiser, jurors=3)
    subs = [make_submission(call=call, applicant=make_user()) for _ in range(3)]
    item = rounds.rounds_of(call)[0]
    item.assignment = AssignmentMode.PER_SUBMISSION
    item.jurors_per_submission = 1
    rounds.auto_assign(item, call)
    db.session.commit()
    mine = {s for s, j in _assigned(item) if j == jurors[0].id}
    assert len(mine) == 1
    client.login_as(jurors[0])
    # A juror cannot order the list by the others' scores.
    assert "Highest weighted average" not in _text(client.get(f"/calls/{call.slug}/submissions"))
    home = _text(client.get("/me"))
    assert "1 waits for my score" in home
    assert f'href="/calls/{call.slug}/submissions"' in home
    page = _text(client.get(f"/calls/{call.slug}/submissions"))
    for s in subs:
        link = f"/calls/{call.slug}/submissions/{s.id}"
        assert (link in page) == (s.id in mine)
        expected = 200 if s.id in mine else 404
        assert client.get(link).status_code == expected


@pytest.mark.usefixtures("app")
def test_in_blind_review_a_conflict_reassigns_the_submission(client: Any, organiser: User) -> None:
    call, jurors = _call_with_jury(organiser, jurors=3, blind_review=True)
    s = make_submission(call=call, applicant=make_user())
    item = rounds.rounds_of(call)[0]
    item.assignment = AssignmentMode.PER_SUBMISSION
    item.jurors_per_submission = 1
    rounds.auto_assign(item, call)
    db.session.commit()
    ((_sid, first),) = _assigned(item)
    person = next(u for u in jurors if u.id == first)
    client.login_as(person)
    url = f"/calls/{call.slug}/submissions/{s.id}"
    page = _text(client.get(url))
    assert "Declare a conflict of interest" in page
    response = client.post_form(f"{url}/conflict", {"round": str(item.id)})
    assert response.status_code == 302
    db.session.expire_all()
    ((_sid, now),) = _assigned(item)
    assert now != first
    assert client.get(url).status_code == 404
    # The organiser cannot give it back to the juror who declared the conflict.
    client.login_as(organiser)
    response = client.post_form(
        f"/calls/{call.slug}/rounds/{item.id}/assignments",
        {"submission_id": str(s.id), "juror_id": str(first)},
    )
    assert response.status_code == 302
    page = _text(client.get(response.headers["Location"]))
    assert "declared a conflict of interest on this submission" in page
    assert len(_assigned(item)) == 1


@pytest.mark.usefixtures("app")
def test_existing_reviews_count_in_the_default_round(organiser: User) -> None:
    call, (juror,) = _call_with_jury(organiser, jurors=1)
    s = make_submission(call=call, applicant=make_user())
    build.review(s, juror, score=3)
    (item,) = rounds.rounds_of(call)
    assert db.session.scalar(select(func.count(CriterionScore.id))) == 1
    entry = db.session.scalar(select(RoundSubmission).where(RoundSubmission.round_id == item.id))
    assert entry is not None
    assert (entry.review_count, entry.weighted) == (1, 3.0)
    assert db.session.scalar(select(func.count(Submission.id))) >= 1


@pytest.mark.usefixtures("app")
def test_the_organiser_runs_a_round_from_the_pages(client: Any, organiser: User) -> None:
    call, (a, b, c) = _call_with_jury(organiser, jurors=3)
    subs = [make_submission(call=call, applicant=make_user()) for _ in range(2)]
    build.review(subs[0], a, score=5)
    build.review(subs[1], a, score=2)
    db.session.commit()
    client.login_as(organiser)
    manage = _text(client.get(f"/calls/{call.slug}/manage"))
    assert f'href="/calls/{call.slug}/rounds"' in manage
    base = f"/calls/{call.slug}/rounds"
    refused = client.post_form(base, {"name": "", "scale": "5", "assignment": "everyone"})
    assert refused.status_code == 422
    data = {"name": "Final", "scale": "10", "assignment": "per_submission"}
    refused = client.post_form(base, data)
    assert refused.status_code == 422
    assert "Say how many jurors review each submission" in _text(refused)
    assert 'value="Final"' in _text(refused)
    response = client.post_form(base, data | {"jurors_per_submission": "2"})
    assert response.status_code == 302
    final = db.session.scalar(select(ReviewRound).where(ReviewRound.name == "Final"))
    assert final is not None
    url = f"{base}/{final.id}"
    assert "Final" in _text(client.get(base))
    refused = client.post_form(f"{url}/open", {"entry": "above", "threshold": "3"})
    assert refused.status_code == 422
    assert "Close “Round 1” first" in _text(refused)
    first = rounds.rounds_of(call)[0]
    assert client.post_form(f"{base}/{first.id}/close").status_code == 302
    response = client.post_form(f"{url}/open", {"entry": "above", "threshold": "3"})
    assert response.status_code == 302
    db.session.expire_all()
    assert final.status == RoundStatus.OPEN
    pairs = _assigned(final)
    assert [s for s, _j in pairs] == [subs[0].id, subs[0].id]  # only the one above 3
    # By hand: take one juror off, give the third one.
    taken = db.session.scalar(
        select(RoundAssignment).where(RoundAssignment.round_id == final.id).limit(1)
    )
    assert taken is not None
    response = client.post_form(f"{url}/assignments/{taken.id}/remove")
    assert response.status_code == 302
    left = {j for _s, j in _assigned(final)}
    free = next(u for u in (a, b, c) if u.id not in left)
    response = client.post_form(
        f"{url}/assignments", {"submission_id": str(subs[0].id), "juror_id": str(free.id)}
    )
    page = _text(client.get(response.headers["Location"]))
    assert f"{free.display_name} now reviews this submission." in page
    assert len(_assigned(final)) == 2
    progress = _text(client.get(url))
    assert "Progress per juror" in progress
    assert client.post_form(f"{url}/close").status_code == 302
    db.session.expire_all()
    assert final.status == RoundStatus.CLOSED
