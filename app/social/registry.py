"""Following, the feed, staff picks and project views in the application."""

from __future__ import annotations

from typing import Any

from flask import Flask
from sqlalchemy import event, func, select

from app.accounts.owndata import add_parts
from app.messaging.models import Block
from app.portfolios.queries import register_designer_fact
from app.social import cli, owndata, services, viewcount, views
from app.social.models import Follow


def _block_ends_following(_mapper: Any, connection: Any, block: Block) -> None:
    """A block (app/messaging) also ends following both ways, in the same transaction."""
    services.remove_between(connection, block.blocker_id, block.blocked_id)


def _followers(designer_id: Any, _viewer_id: Any) -> Any:
    return select(func.count(Follow.id)).where(Follow.followee_id == designer_id).scalar_subquery()


def _followed(designer_id: Any, viewer_id: Any) -> Any:
    return (
        select(Follow.id)
        .where(Follow.follower_id == viewer_id, Follow.followee_id == designer_id)
        .exists()
    )


def register(app: Flask) -> None:
    # The Follow button's facts, read with the designer's row on their portfolio.
    register_designer_fact("followers", _followers)
    register_designer_fact("followed", _followed)
    app.register_blueprint(views.bp)
    app.register_blueprint(cli.bp)
    # Registered before the page cache (the factory inits it after the domains): views of a
    # page served from the cache are counted too.
    viewcount.init_app(app)
    add_parts(exporters=[owndata.export_follows], erasers=[owndata.erase_follows])
    if not event.contains(Block, "after_insert", _block_ends_following):
        event.listen(Block, "after_insert", _block_ends_following)
