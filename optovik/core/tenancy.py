"""Tenancy in one place.

``TenancyMiddleware`` resolves who is asking — user, client, current legal entity and contract —
and runs every portal request inside ``django_scopes.scope(client=…)``: a scoped model queried
there sees only that client's rows, and a request with no client sees none. The back office and
the API leave the scope visibly with ``scopes_disabled()`` and apply their own limits.
"""

from dataclasses import dataclass, field

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django_scopes import scope, scopes_disabled

SESSION_LEGAL_ENTITY = "tenant_legal_entity_id"
SESSION_CONTRACT = "tenant_contract_id"
UNSCOPED_PREFIXES = ("/admin/", "/backoffice/", "/api/", "/static/", "/media/")


@dataclass
class Tenant:
    """The current scope of a portal request."""

    user: object
    membership: object
    client: object
    legal_entities: list = field(default_factory=list)
    legal_entity: object = None
    contracts: list = field(default_factory=list)
    contract: object = None
    entity_contracts: dict = field(default_factory=dict)  # legal entity id: its usable contracts
    permissions: frozenset = frozenset()

    def can(self, perm: str) -> bool:
        return perm in self.permissions

    @property
    def legal_entity_ids(self) -> list[int]:
        """The legal entities the member may act for: the limit every legal-entity-owned row obeys."""
        return [le.pk for le in self.legal_entities]

    @property
    def role(self) -> str:
        return self.membership.role


def resolve_tenant(request) -> "Tenant | None":
    from optovik.customers import selectors
    from optovik.customers.permissions import permissions_for

    user = request.user
    found = selectors.member_tenancy(user=user)
    if found is None or not found.membership.client.is_active:
        return None
    membership, legal_entities = found.membership, found.legal_entities
    by_id = {le.pk: le for le in legal_entities}
    legal_entity = by_id.get(request.session.get(SESSION_LEGAL_ENTITY)) or (
        legal_entities[0] if legal_entities else None
    )
    contracts = found.contracts[legal_entity.pk] if legal_entity else []
    contract = {c.pk: c for c in contracts}.get(request.session.get(SESSION_CONTRACT)) or (
        contracts[0] if contracts else None
    )
    return Tenant(
        user=user,
        membership=membership,
        client=membership.client,
        legal_entities=legal_entities,
        legal_entity=legal_entity,
        contracts=contracts,
        contract=contract,
        entity_contracts=found.contracts,
        permissions=permissions_for(membership.role, can_place_orders=membership.can_place_orders),
    )


def tenant_switch(request, *, legal_entity_id: int | None = None, contract_id: int | None = None) -> bool:
    """Changes the current legal entity and/or contract; refuses (False) what the user may not use."""
    tenant = request.tenant
    if tenant is None:
        return False
    if legal_entity_id is not None:
        if legal_entity_id not in {le.pk for le in tenant.legal_entities}:
            return False
        request.session[SESSION_LEGAL_ENTITY] = legal_entity_id
        request.session.pop(SESSION_CONTRACT, None)
    if contract_id is not None:
        le_id = request.session.get(SESSION_LEGAL_ENTITY, tenant.legal_entity and tenant.legal_entity.pk)
        if contract_id not in {c.pk for c in tenant.entity_contracts.get(le_id, [])}:
            return False
        request.session[SESSION_CONTRACT] = contract_id
    return True


class TenancyMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        request.tenant = None
        if request.path_info.startswith(UNSCOPED_PREFIXES):
            with scopes_disabled():
                return self.get_response(request)
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated and not user.is_staff:
            with scopes_disabled():
                tenant = resolve_tenant(request)
                blocked = tenant is None and _client_blocked(user)
            if blocked:
                logout(request)
                messages.error(
                    request, _("Your company's access to the portal is suspended. Please contact your manager.")
                )
                return redirect(settings.LOGIN_URL)
            request.tenant = tenant
        client_id = request.tenant.client.pk if request.tenant else []
        with scope(client=client_id):
            return self.get_response(request)


def _client_blocked(user) -> bool:
    from optovik.customers.models import Membership

    return Membership.objects.filter(user=user, is_active=True, client__is_active=False).exists() and not (
        Membership.objects.filter(user=user, is_active=True, client__is_active=True).exists()
    )
