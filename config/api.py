"""The REST API under /api/v1/: one NinjaAPI, one Router per app (see each app's api.py)."""

from ninja import NinjaAPI

api = NinjaAPI(title="Cadre API", version="1", urls_namespace="api")

# Each app owns its router; the prefix is the app's name.
for _app in (
    "workdays", "targets", "worklogs", "assessments", "supervision", "accountability",
    "tolerance", "development", "care",
):
    api.add_router(f"/{_app}/", f"cadre.{_app}.api.router")
