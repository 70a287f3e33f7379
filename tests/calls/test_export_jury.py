"""The data export and the jury: the feedback an applicant was sent is in their archive (only
once told, never a juror's name); a juror's own scores and comments are in theirs."""

from __future__ import annotations

import io
import json
import zipfile

from app.accounts.models import User
from app.calls.models import Decision, OpenCall, Review, Submission
from app.extensions import db
from demo import build
from tests.calls.factories import make_full_call, make_juror, make_submission
from tests.conftest import Client
from tests.factories import make_full_designer

JUROR_NAMES = ("Giám khảo Đặng Thị Lan", "Giám khảo Vũ Quang Minh")


def _archive(client: Client) -> zipfile.ZipFile:
    response = client.get("/account/data/export.zip")
    assert response.status_code == 200
    archive = zipfile.ZipFile(io.BytesIO(response.get_data()))
    assert archive.testzip() is None
    return archive


def _setup(organiser: User) -> tuple[OpenCall, Submission, list[User], list[Review]]:
    call = make_full_call(owner=organiser)
    applicant = make_full_designer(handle="thao-applicant", projects=1, images=1)
    submission = make_submission(call=call, applicant=applicant, decision=Decision.DECLINED)
    jurors = [
        make_full_designer(handle=f"juror-{n}", display_name=name, projects=0)
        for n, name in enumerate(JUROR_NAMES)
    ]
    for juror in jurors:
        make_juror(call=call, user=juror)
    reviews = [
        build.review(
            submission,
            jurors[0],
            scores=[2, 4, 3],
            comment="Màu **mạnh**, chữ còn _yếu_. <script>x</script>",
        ),
        build.review(submission, jurors[1], score=3, comment="Thử bố cục táo bạo hơn."),
    ]
    reviews[0].scores[0].comment = "Ý tưởng: *rõ ràng* nhưng quen thuộc."
    db.session.commit()
    return call, submission, jurors, reviews


def test_the_applicant_gets_the_feedback_they_were_sent_once_told(
    client: Client, organiser: User
) -> None:
    call, submission, _jurors, reviews = _setup(organiser)
    applicant = submission.applicant
    client.login_as(organiser)
    url = f"/calls/{call.slug}/submissions/{submission.id}/feedback"
    assert client.post_form(url, {"review": [str(reviews[0].id)]}).status_code == 302

    # Chosen but not sent yet: nothing of it in the applicant's archive.
    client.login_as(applicant)
    (row,) = json.loads(_archive(client).read("submissions.json"))
    assert row["jury_feedback"] == []

    client.login_as(organiser)
    client.post_form(f"/calls/{call.slug}/notify")
    client.login_as(applicant)
    archive = _archive(client)

    (row,) = json.loads(archive.read("submissions.json"))
    assert row["decision"] == "declined"
    assert row["jury_feedback"] == ["Màu **mạnh**, chữ còn _yếu_. <script>x</script>"]
    everything = b"".join(archive.read(n) for n in archive.namelist()).decode("utf-8", "replace")
    for name in JUROR_NAMES:
        assert name not in everything
    assert "bố cục táo bạo" not in everything  # not chosen by the organiser


def test_a_juror_gets_their_own_scores_and_comments_per_round_and_criterion(
    client: Client, organiser: User
) -> None:
    call, submission, jurors, reviews = _setup(organiser)
    client.login_as(jurors[0])
    jurors[0].locale = "en"
    db.session.commit()
    page = client.get("/account/data").get_data(as_text=True)
    assert "your reviews as a juror" in page

    archive = _archive(client)

    (row,) = json.loads(archive.read("reviews.json"))
    assert row["call"] == call.title
    assert row["application"] == submission.id
    assert row["round"] == reviews[0].round.name
    assert row["comment"] == "Màu **mạnh**, chữ còn _yếu_. <script>x</script>"
    assert row["score"] == reviews[0].score
    criteria = reviews[0].round.criteria
    assert [c["criterion"] for c in row["criteria"]] == [c.name for c in criteria]
    assert [c["score"] for c in row["criteria"]] == [s.score for s in reviews[0].scores]
    assert row["criteria"][0]["comment"] == "Ý tưởng: *rõ ràng* nhưng quen thuộc."
    # Blind review: the application is a number, its applicant is not named.
    assert submission.applicant.display_name not in archive.read("reviews.json").decode()
    assert "bố cục táo bạo" not in archive.read("reviews.json").decode()  # another juror's
