"""Delivery addresses of the current legal entity."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from optovik.core.errors import ApplicationError
from optovik.customers import selectors, services
from optovik.customers.models import DeliveryAddress
from optovik.customers.permissions import Perm

from .. import forms
from ..access import portal_view


def _current_address(request, pk: int) -> DeliveryAddress:
    """An address of the current legal entity; anything else (another company's, another legal
    entity's) is not found."""
    le = request.tenant.legal_entity
    if le is None:
        raise Http404
    return get_object_or_404(DeliveryAddress.objects.filter(legal_entity=le), pk=pk)


@portal_view(Perm.MANAGE_ADDRESSES)
def address_list(request):
    le = request.tenant.legal_entity
    addresses = selectors.legal_entity_addresses(legal_entity=le) if le else []
    return render(request, "portal/account/addresses.html", {"addresses": addresses, "legal_entity": le})


@portal_view(Perm.MANAGE_ADDRESSES)
def address_create(request):
    le = request.tenant.legal_entity
    if le is None:
        raise Http404
    form = forms.AddressForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.address_create(legal_entity=le, **form.cleaned_data)
        except (ValidationError, ApplicationError) as e:
            forms.form_add_service_error(form, e)
        else:
            messages.success(request, _("Delivery address added."))
            return redirect("portal:addresses")
    return render(request, "portal/account/address_form.html", {"form": form, "legal_entity": le})


@portal_view(Perm.MANAGE_ADDRESSES)
def address_edit(request, pk: int):
    address = _current_address(request, pk)
    fields = ("title", "address", "contact_name", "contact_phone", "comment")
    form = forms.AddressForm(request.POST or None, initial={f: getattr(address, f) for f in fields}, with_default=False)
    if request.method == "POST" and form.is_valid():
        try:
            services.address_update(delivery_address=address, **form.cleaned_data)
        except (ValidationError, ApplicationError) as e:
            forms.form_add_service_error(form, e)
        else:
            messages.success(request, _("Delivery address saved."))
            return redirect("portal:addresses")
    return render(
        request,
        "portal/account/address_form.html",
        {"form": form, "address": address, "legal_entity": request.tenant.legal_entity},
    )


@portal_view(Perm.MANAGE_ADDRESSES)
def address_delete(request, pk: int):
    """GET asks to confirm; POST deletes."""
    address = _current_address(request, pk)
    if request.method == "POST":
        services.address_delete(delivery_address=address)
        messages.success(request, _("Delivery address deleted."))
        return redirect("portal:addresses")
    return render(request, "portal/account/address_delete.html", {"address": address})


@portal_view(Perm.MANAGE_ADDRESSES)
@require_POST
def address_make_default(request, pk: int):
    address = _current_address(request, pk)
    services.address_make_default(delivery_address=address)
    messages.success(request, _("«%(address)s» is now the default delivery address.") % {"address": address})
    return redirect("portal:addresses")
