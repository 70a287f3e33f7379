"""Every blueprint of the site, in one list (each domain adds its line)."""

from __future__ import annotations

from app.accounts.cli import bp as accounts_cli
from app.accounts.views import bp as accounts
from app.demo.cli import bp as demo_cli
from app.health import bp as health
from app.mail.cli import bp as mail_cli
from app.main.views import bp as main
from app.media.views import bp as media
from app.portfolios.views import bp as portfolios
from app.search.cli import bp as search_cli
from app.search.views import bp as search

BLUEPRINTS = [
    health,
    main,
    accounts,
    accounts_cli,
    mail_cli,
    demo_cli,
    media,
    portfolios,
    search,
    search_cli,
]
