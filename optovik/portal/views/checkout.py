"""Checkout: pickup or delivery, date, contact, comment, PO number, a summary; then the order."""

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from optovik.core.errors import ApplicationError
from optovik.core.requisites import normalize_phone
from optovik.customers.permissions import Perm
from optovik.customers.selectors import legal_entity_addresses
from optovik.inventory.selectors import warehouse_list
from optovik.ordering import selectors
from optovik.ordering.models import DeliveryMethod
from optovik.ordering.services.checkout import order_place_from_cart

from ..access import portal_view
from ..forms import BootstrapFormMixin, form_add_service_error
from .cart import current_cart

NEW_ADDRESS = "new"


class CheckoutForm(BootstrapFormMixin, forms.Form):
    delivery_method = forms.ChoiceField(
        label=gettext_lazy("How to receive the order"), choices=DeliveryMethod.choices, widget=forms.RadioSelect
    )
    warehouse = forms.TypedChoiceField(label=gettext_lazy("Pickup point"), coerce=int, required=False)
    delivery_address = forms.ChoiceField(label=gettext_lazy("Delivery address"), required=False)
    new_address = forms.CharField(label=gettext_lazy("New address"), max_length=500, required=False)
    desired_date = forms.DateField(
        label=gettext_lazy("Desired date"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    contact_name = forms.CharField(label=gettext_lazy("Contact person"), max_length=255, required=False)
    contact_phone = forms.CharField(label=gettext_lazy("Contact phone"), max_length=32, required=False)
    po_number = forms.CharField(label=gettext_lazy("Your PO number"), max_length=64, required=False)
    comment = forms.CharField(
        label=gettext_lazy("Comment"), required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 3})
    )

    def __init__(self, *args, warehouses, addresses, **kwargs):
        super().__init__(*args, **kwargs)
        self.warehouses = {w.pk: w for w in warehouses}
        self.addresses = {str(a.pk): a for a in addresses}
        self.fields["delivery_method"].widget.attrs["class"] = "form-check-input"
        self.fields["warehouse"].choices = [
            (w.pk, f"{w.name} — {w.address}" if w.address else w.name) for w in warehouses
        ]
        self.fields["delivery_address"].choices = [(str(a.pk), str(a)) for a in addresses] + [
            (NEW_ADDRESS, _("A new address"))
        ]

    def clean_contact_phone(self):
        try:
            return normalize_phone(self.cleaned_data.get("contact_phone", ""))
        except ValidationError as e:
            raise forms.ValidationError(e.messages) from e

    def clean_desired_date(self):
        value = self.cleaned_data.get("desired_date")
        if value and value < timezone.localdate():
            raise forms.ValidationError(_("The desired date cannot be in the past."))
        return value

    def clean(self):
        data = super().clean()
        method = data.get("delivery_method")
        if method == DeliveryMethod.PICKUP and not data.get("warehouse"):
            self.add_error("warehouse", _("Choose the warehouse to pick the order up from."))
        if method == DeliveryMethod.DELIVERY:
            chosen = data.get("delivery_address") or NEW_ADDRESS
            if chosen == NEW_ADDRESS and not (data.get("new_address") or "").strip():
                self.add_error("new_address", _("Enter the delivery address."))
        return data

    def order_details(self) -> dict:
        data = self.cleaned_data
        details = {
            "delivery_method": data["delivery_method"],
            "desired_date": data.get("desired_date"),
            "contact_name": data.get("contact_name", ""),
            "contact_phone": data.get("contact_phone", ""),
            "comment": data.get("comment", ""),
            "po_number": data.get("po_number", ""),
        }
        if data["delivery_method"] == DeliveryMethod.PICKUP:
            details["warehouse"] = self.warehouses.get(data.get("warehouse"))
        else:
            address = self.addresses.get(data.get("delivery_address") or "")
            details["delivery_address"] = address
            details["delivery_address_text"] = "" if address else data.get("new_address", "")
        return details


@portal_view(Perm.PLACE_ORDERS)
def checkout(request):
    tenant = request.tenant
    cart = current_cart(request)
    view = selectors.cart_view(cart=cart, contract=tenant.contract)
    if not view.rows:
        messages.info(request, _("The cart is empty: add products before checking out."))
        return redirect("portal:cart")
    warehouses = warehouse_list(pickup_only=True)
    addresses = list(legal_entity_addresses(legal_entity=tenant.legal_entity)) if tenant.legal_entity else []
    default_address = next((a for a in addresses if a.is_default), addresses[0] if addresses else None)
    initial = {
        "delivery_method": DeliveryMethod.PICKUP if warehouses else DeliveryMethod.DELIVERY,
        "warehouse": warehouses[0].pk if warehouses else None,
        "delivery_address": str(default_address.pk) if default_address else NEW_ADDRESS,
        "contact_name": request.user.get_full_name(),
        "contact_phone": request.user.phone,
    }
    form = CheckoutForm(request.POST or None, initial=initial, warehouses=warehouses, addresses=addresses)
    if request.method == "POST" and form.is_valid():
        try:
            order = order_place_from_cart(
                cart=cart, user=request.user, legal_entity=tenant.legal_entity, **form.order_details()
            )
        except ApplicationError as e:
            form_add_service_error(form, e)
            view = selectors.cart_view(cart=cart, contract=tenant.contract)
        else:
            if order.status == "awaiting_approval":
                messages.success(
                    request,
                    _("Order %(number)s is placed and waits for your company admin's approval.")
                    % {"number": order.number},
                )
            else:
                messages.success(request, _("Order %(number)s is placed.") % {"number": order.number})
            return redirect("portal:order_detail", number=order.number)
    return render(
        request,
        "portal/checkout/checkout.html",
        {"form": form, "view": view, "warehouses": warehouses, "addresses": addresses},
    )
