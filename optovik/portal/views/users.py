"""Company users, managed by the company admin."""

from django.shortcuts import render

from optovik.customers import selectors
from optovik.customers.permissions import Perm

from ..access import portal_view


@portal_view(Perm.MANAGE_USERS)
def user_list(request):
    client = request.tenant.client
    return render(
        request,
        "portal/account/users.html",
        {
            "members": selectors.client_members(client=client),
            "invitations": selectors.client_pending_invitations(client=client),
        },
    )
