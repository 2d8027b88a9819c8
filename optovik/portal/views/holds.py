"""Reservations without an order: put the cart aside for a few days, release it, or order it."""

from django import forms
from django.conf import settings
from django.contrib import messages
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from django.views.decorators.http import require_POST

from optovik.core.errors import ApplicationError
from optovik.customers.models import DeliveryAddress
from optovik.customers.permissions import Perm
from optovik.inventory.models import Warehouse
from optovik.ordering.models import DeliveryMethod, Hold, HoldStatus
from optovik.ordering.services import holds as hold_services

from ..access import portal_view
from ..forms import BootstrapFormMixin
from .order_actions import order_url


class OrderDeliveryForm(BootstrapFormMixin, forms.Form):
    """How an order made from a reservation or a plan is received."""

    delivery_method = forms.ChoiceField(label=gettext_lazy("Delivery"), choices=DeliveryMethod.choices)
    warehouse = forms.ModelChoiceField(
        label=gettext_lazy("Pickup warehouse"), queryset=Warehouse.objects.none(), required=False
    )
    delivery_address = forms.ModelChoiceField(
        label=gettext_lazy("Delivery address"), queryset=DeliveryAddress.objects.none(), required=False
    )
    desired_date = forms.DateField(
        label=gettext_lazy("Desired date"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    comment = forms.CharField(label=gettext_lazy("Comment"), required=False, widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args, legal_entity, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["warehouse"].queryset = Warehouse.objects.filter(is_active=True, is_pickup_point=True)
        self.fields["delivery_address"].queryset = DeliveryAddress.objects.filter(legal_entity=legal_entity)

    def order_kwargs(self) -> dict:
        data = self.cleaned_data
        return {
            "delivery_method": data["delivery_method"],
            "warehouse": data["warehouse"] if data["delivery_method"] == DeliveryMethod.PICKUP else None,
            "delivery_address": data["delivery_address"]
            if data["delivery_method"] == DeliveryMethod.DELIVERY
            else None,
            "desired_date": data["desired_date"],
            "comment": data["comment"],
        }


def add_service_error(form, error: ApplicationError) -> None:
    form.add_error(error.field if error.field in form.fields else None, error.message)


def _tenant_hold(request, pk: int) -> Hold:
    legal_entities = request.tenant.legal_entity_ids
    if not legal_entities:
        raise Http404
    return get_object_or_404(Hold.objects.filter(legal_entity_id__in=legal_entities), pk=pk)


@portal_view(Perm.PLACE_ORDERS)
def hold_list(request):
    holds = (
        Hold.objects.filter(legal_entity_id__in=request.tenant.legal_entity_ids)
        .select_related("legal_entity", "contract", "user", "order")
        .prefetch_related("lines__product")
        .order_by("-created_at")[:100]
    )
    return render(request, "portal/holds/list.html", {"holds": holds, "hold_days": settings.HOLD_DAYS})


@require_POST
@portal_view(Perm.PLACE_ORDERS)
def hold_create(request):
    tenant = request.tenant
    if tenant.contract is None or tenant.legal_entity is None:
        messages.error(request, _("Choose a contract first."))
        return redirect("portal:holds")
    try:
        hold_services.hold_create(user=request.user, legal_entity=tenant.legal_entity, contract=tenant.contract)
    except ApplicationError as e:
        messages.error(request, e.message)
    else:
        days = settings.HOLD_DAYS
        messages.success(
            request,
            ngettext("The goods are put aside for %(days)s day.", "The goods are put aside for %(days)s days.", days)
            % {"days": days},
        )
    return redirect("portal:holds")


@require_POST
@portal_view(Perm.PLACE_ORDERS)
def hold_release(request, pk: int):
    hold = _tenant_hold(request, pk)
    try:
        hold_services.hold_release(hold=hold)
    except ApplicationError as e:
        messages.error(request, e.message)
    else:
        messages.success(request, _("The reservation is released."))
    return redirect("portal:holds")


@portal_view(Perm.PLACE_ORDERS)
def hold_convert(request, pk: int):
    hold = _tenant_hold(request, pk)
    if hold.status != HoldStatus.ACTIVE:
        messages.error(request, _("This reservation is no longer active."))
        return redirect("portal:holds")
    form = OrderDeliveryForm(request.POST or None, legal_entity=hold.legal_entity)
    if request.method == "POST" and form.is_valid():
        try:
            order = hold_services.hold_convert(hold=hold, user=request.user, **form.order_kwargs())
        except ApplicationError as e:
            add_service_error(form, e)
        else:
            messages.success(request, _("Order %(number)s is placed.") % {"number": order.number})
            return redirect(order_url(order))
    return render(
        request,
        "portal/holds/convert.html",
        {"form": form, "title": _("Order the reservation"), "lines": hold.lines.select_related("product")},
    )
