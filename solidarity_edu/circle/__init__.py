"""Study circles: a participant may share an answer with the circle, anonymously, and withdraw it.

Nothing is shared unless the participant ticks "Share with my circle" under a prompt. A facilitator sees
shared answers without names: counts for choices, averages for ratings, the texts of shared reflections.

- ``catalogue`` the course's prompts as the service knows them (the lesson model's prompt manifest)
- ``shares``   what a share is and the rules it must respect (the lesson's prompt, size, no HTML markup)
- ``store``    where shares live: SQLite by default, PostgreSQL given a database URL (SQLAlchemy)
- ``summary``  the facilitator's view: aggregates (k or more shares) as JSON and as a page to project
- ``published`` when a prompt's summary may change (in batches of k, so no one's answer shows alone)
- ``client``   what the lesson widgets call: the hub's circle service, or a local store on one machine
- ``service``  the JupyterHub service (OAuth through the hub; run by the hub, see ``hub``)
- ``hub``      ``add_circle_service(c)`` for a jupyterhub_config.py

This is a package rather than the single ``circle.py`` of the design notes (README, "Design decisions"): the service, the store and
the client each have one job and different dependencies (a kernel never imports tornado or SQLAlchemy
unless it uses a local store).
"""

from __future__ import annotations

FACILITATE_SCOPE = "custom:solidarity-circle:facilitate"
SERVICE_NAME = "circle"
DATABASE_ENV = "SOLIDARITY_EDU_CIRCLE_DATABASE_URL"
SECRET_ENV = "SOLIDARITY_EDU_CIRCLE_SECRET"
SECRET_FILE_ENV = "SOLIDARITY_EDU_CIRCLE_SECRET_FILE"  # where a SQLite store's secret is kept (not beside it)
URL_ENV = "SOLIDARITY_EDU_CIRCLE_URL"
LOCAL_ENV = "SOLIDARITY_EDU_CIRCLE"
PROMPTS_ENV = "SOLIDARITY_EDU_CIRCLE_PROMPTS"  # a prompt manifest file (default: the course in the package)
MIN_SHARES_ENV = "SOLIDARITY_EDU_CIRCLE_MIN_SHARES"  # k: a prompt's summary shows once k people shared
TRUSTED_PROXY_ENV = "SOLIDARITY_EDU_CIRCLE_TRUSTED_PROXY"  # "1": believe X-Forwarded-For (behind a proxy only)
