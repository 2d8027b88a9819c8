"""The REST API for ERP, PIM and CRM systems (OpenAPI at /api/v1/docs). Endpoints arrive with the
integration features; the health check lets a load balancer or an ERP see that the portal is up."""

from django.db import connection
from ninja import NinjaAPI, Schema

api = NinjaAPI(title="Optovik API", version="1", urls_namespace="api-v1")


class Health(Schema):
    status: str
    database: str


@api.get("/health", response=Health, auth=None, summary="Is the portal up and its database reachable")
def health(request):
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    return {"status": "ok", "database": connection.vendor}
