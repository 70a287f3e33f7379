"""Every blueprint of the site, in one list (each domain adds its line)."""

from __future__ import annotations

from app.accounts.cli import bp as accounts_cli
from app.accounts.views import bp as accounts
from app.calls import owndata as _calls_owndata  # noqa: F401  (export and deletion parts)
from app.calls.cli import bp as calls_cli
from app.calls.views import bp as calls
from app.health import bp as health
from app.mail.cli import bp as mail_cli
from app.main.views import bp as main
from app.media.cli import bp as media_cli
from app.media.views import bp as media
from app.messaging import owndata as _messaging_owndata  # noqa: F401  (export and deletion parts)
from app.messaging.cli import bp as messaging_cli
from app.messaging.views import bp as messaging
from app.moderation.account_views import bp as account
from app.moderation.admin_views import bp as admin
from app.moderation.views import bp as moderation
from app.moderation.views import report_bp as report
from app.portfolios import owndata as _portfolios_owndata  # noqa: F401  (export and deletion)
from app.portfolios.views import bp as portfolios
from app.search.cli import bp as search_cli
from app.search.views import bp as search

BLUEPRINTS = [
    health,
    main,
    accounts,
    accounts_cli,
    mail_cli,
    media_cli,
    messaging,
    messaging_cli,
    calls,
    calls_cli,
    moderation,
    report,
    admin,
    account,
    media,
    portfolios,
    search,
    search_cli,
]
