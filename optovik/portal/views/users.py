"""Company users, managed by the company admin: members, invitations, roles and access."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from optovik.core.errors import ApplicationError
from optovik.customers import selectors, services
from optovik.customers.models import Invitation, Membership
from optovik.customers.permissions import Perm

from .. import forms
from ..access import portal_view


def _member(request, pk: int) -> Membership:
    return get_object_or_404(Membership.objects.select_related("user").filter(client=request.tenant.client), pk=pk)


@portal_view(Perm.MANAGE_USERS)
def user_list(request):
    client = request.tenant.client
    return render(
        request,
        "portal/account/users.html",
        {
            "members": selectors.client_members(client=client),
            "invitations": selectors.client_pending_invitations(client=client).prefetch_related("legal_entities"),
        },
    )


@portal_view(Perm.MANAGE_USERS)
def invitation_create(request):
    client = request.tenant.client
    form = forms.InvitationForm(request.POST or None, client=client)
    if request.method == "POST" and form.is_valid():
        try:
            invitation, created = services.invitation_create(
                client=client, invited_by=request.user, **form.cleaned_data
            )
        except (ValidationError, ApplicationError) as e:
            forms.form_add_service_error(form, e)
        else:
            if created:
                messages.success(request, _("Invitation sent to %(email)s.") % {"email": invitation.email})
            else:
                messages.info(
                    request,
                    _("%(email)s was already invited; the invitation was sent again.") % {"email": invitation.email},
                )
            return redirect("portal:users")
    return render(request, "portal/account/invitation_form.html", {"form": form})


@portal_view(Perm.MANAGE_USERS)
@require_POST
def invitation_revoke(request, pk: int):
    invitation = get_object_or_404(Invitation.objects.filter(client=request.tenant.client), pk=pk)
    try:
        services.invitation_revoke(invitation=invitation)
    except ApplicationError as e:
        messages.error(request, e.message)
    else:
        messages.success(request, _("The invitation to %(email)s is revoked.") % {"email": invitation.email})
    return redirect("portal:users")


@portal_view(Perm.MANAGE_USERS)
def member_edit(request, pk: int):
    membership = _member(request, pk)
    client = request.tenant.client
    initial = {
        "role": membership.role,
        "can_place_orders": membership.can_place_orders,
        "legal_entities": list(membership.legal_entities.all()),
    }
    form = forms.MemberForm(request.POST or None, client=client, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.membership_update(membership=membership, actor=request.user, **form.cleaned_data)
        except (ValidationError, ApplicationError) as e:
            forms.form_add_service_error(form, e)
        else:
            messages.success(request, _("Access of %(user)s saved.") % {"user": membership.user})
            return redirect("portal:users")
    return render(request, "portal/account/member_form.html", {"form": form, "membership": membership})


def _set_active(request, pk: int, *, active: bool):
    membership = _member(request, pk)
    try:
        services.membership_set_active(membership=membership, active=active, actor=request.user)
    except ApplicationError as e:
        messages.error(request, e.message)
    else:
        text = _("%(user)s can use the portal again.") if active else _("%(user)s no longer has access.")
        messages.success(request, text % {"user": membership.user})
    return redirect("portal:users")


@portal_view(Perm.MANAGE_USERS)
@require_POST
def member_deactivate(request, pk: int):
    return _set_active(request, pk, active=False)


@portal_view(Perm.MANAGE_USERS)
@require_POST
def member_reactivate(request, pk: int):
    return _set_active(request, pk, active=True)
