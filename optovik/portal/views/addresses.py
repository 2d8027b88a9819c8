"""Delivery addresses of the current legal entity."""

from django.shortcuts import render

from optovik.customers import selectors
from optovik.customers.permissions import Perm

from ..access import portal_view


@portal_view(Perm.MANAGE_ADDRESSES)
def address_list(request):
    le = request.tenant.legal_entity
    addresses = selectors.legal_entity_addresses(legal_entity=le) if le else []
    return render(request, "portal/account/addresses.html", {"addresses": addresses, "legal_entity": le})
