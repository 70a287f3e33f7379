from __future__ import annotations

import re
from typing import Any

import pytest

from app.accounts.models import User
from tests.conftest import Client
from tests.factories import make_user
from tests.messaging.factories import bulk_messages, converse


def _inbox_queries(client: Client, count_queries: Any, designer: User, n: int) -> int:
    for i in range(n):
        converse(make_user(handle=f"q{n}-{i}"), designer, f"Tin nhắn {i}")
    client.login_as(designer)
    client.get("/messages")  # warm up: the session's last-seen update
    with count_queries() as q:
        page = client.get("/messages")
    assert page.status_code == 200
    return q.count


def test_the_inbox_costs_the_same_for_2_and_200_conversations(
    client: Client, count_queries: Any, designer: User
) -> None:
    few = _inbox_queries(client, count_queries, designer, 2)
    many = _inbox_queries(client, count_queries, designer, 200)
    assert few == many
    assert few <= 5


@pytest.mark.parametrize("extra", [0])
@pytest.mark.usefixtures("extra")
def test_a_conversation_costs_the_same_for_2_and_10000_messages(
    client: Client, count_queries: Any, designer: User
) -> None:
    counts = []
    for n in (2, 10_000):
        other = make_user(handle=f"c{n}")
        conversation = converse(other, designer, "Bắt đầu")
        bulk_messages(conversation, other, designer, n)
        client.login_as(designer)
        url = f"/messages/{conversation.public_id}"
        with count_queries() as q:
            page = client.get(url)
        assert page.status_code == 200
        text = page.get_data(as_text=True)
        assert f"Tin nhắn số {n - 1}" in text  # the latest is shown
        assert ("Earlier messages" in text) is (n > 30)
        with count_queries() as again:
            client.get(url)  # already read: one statement fewer
        counts.append((q.count, again.count))
    assert counts[0] == counts[1]
    assert counts[0][0] <= 9


@pytest.mark.usefixtures("count_queries")
def test_earlier_messages_page_by_keyset(client: Client, designer: User) -> None:
    other = make_user(handle="keyset")
    conversation = converse(other, designer, "Bắt đầu")
    bulk_messages(conversation, other, designer, 100)
    client.login_as(designer)
    page = client.get(f"/messages/{conversation.public_id}").get_data(as_text=True)

    earlier = re.search(r'href="([^"]+before=\d+)"', page)
    assert earlier
    older = client.get(earlier.group(1).replace("&amp;", "&")).get_data(as_text=True)
    assert "Tin nhắn số 69" in older
    assert "Tin nhắn số 70" not in older
    assert "Latest messages" in older
