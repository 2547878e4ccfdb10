"""The REST API under /api/v1/: one NinjaAPI, one Router per app (see each app's api.py)."""

from ninja import NinjaAPI

api = NinjaAPI(title="Cadre API", version="1", urls_namespace="api")
