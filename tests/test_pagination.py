"""One pagination for every list: the same page rules everywhere, one pager."""

from __future__ import annotations

from app.accounts.models import User
from app.pagination import keyset_page, page_of
from tests.conftest import Client


def test_a_counted_list_is_cut_into_numbered_pages() -> None:
    page = page_of(list(range(25)), number=3, per_page=10)
    assert list(page.items) == [20, 21, 22, 23, 24]
    assert (page.number, page.pages, page.total, page.has_prev, page.has_next) == (
        3,
        3,
        25,
        True,
        False,
    )
    # Past the end: the last page, not an empty one.
    assert page_of(list(range(25)), number=9, per_page=10).number == 3


def test_a_keyset_page_says_whether_older_rows_remain() -> None:
    assert keyset_page([5, 4, 3], limit=2) == ([5, 4], True)
    assert keyset_page([2, 1], limit=2) == ([2, 1], False)


def _not_found(client: Client, url: str) -> None:
    response = client.get(url)
    text = response.get_data(as_text=True)
    assert response.status_code == 404, url
    assert "Page not found" in text or "Không tìm thấy trang" in text, url


def test_every_paged_list_refuses_a_nonsense_page_alike(
    client: Client, designer: User, moderator: User
) -> None:
    """Before, the moderation lists showed page 1 for `?page=abc` and the inbox for `?page=0`."""
    _not_found(client, "/designers?page=abc")
    client.login_as(designer)
    _not_found(client, "/messages?page=0")
    client.login_as(moderator)
    _not_found(client, "/moderation/log?page=abc")
    _not_found(client, "/moderation/log?page=201")


def test_a_long_list_shows_a_window_of_page_numbers_not_every_one() -> None:
    """167 pages used to print 167 links; the pager shows the ends and the neighbourhood."""
    items = list(range(167 * 12))
    assert page_of(items, number=1, per_page=12).window() == [1, 2, 3, None, 167]
    assert page_of(items, number=50, per_page=12).window() == [
        1,
        None,
        48,
        49,
        50,
        51,
        52,
        None,
        167,
    ]
    # A single missing number is shown rather than an ellipsis standing for it.
    assert page_of(items, number=5, per_page=12).window() == [1, 2, 3, 4, 5, 6, 7, None, 167]
    assert page_of(list(range(30)), number=2, per_page=10).window() == [1, 2, 3]
    assert page_of([], number=1, per_page=10).window() == [1]
