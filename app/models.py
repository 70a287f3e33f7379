"""Every domain's models, imported once so that SQLAlchemy and Alembic see the whole schema.

Each domain adds its line here.
"""

from app import generations  # noqa: F401  (shared generation numbers: app/pagecache.py)
from app.accounts import models as accounts  # noqa: F401
from app.calls import access_models as calls_access  # noqa: F401
from app.calls import decision_models as call_decisions  # noqa: F401
from app.calls import models as calls  # noqa: F401
from app.calls import round_models as call_rounds  # noqa: F401
from app.jobs import models as jobs  # noqa: F401
from app.mail import models as mail  # noqa: F401
from app.messaging import models as messaging  # noqa: F401
from app.moderation import models as moderation  # noqa: F401
from app.notifications import models as notifications  # noqa: F401
from app.opportunities import models as opportunities  # noqa: F401
from app.portfolios import models as portfolios  # noqa: F401
from app.profiles import models as profiles  # noqa: F401
from app.search import models as search  # noqa: F401
from app.social import models as social  # noqa: F401
