"""What can be done to a placed order from the portal: the customer cancels it; the company admin
approves or rejects an order awaiting approval. The buttons are in ``orders/_actions.html``."""

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect
from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from optovik.core.errors import ApplicationError
from optovik.customers.permissions import Perm
from optovik.ordering.models import Order
from optovik.ordering.services import status as order_status

from ..access import portal_view
from ..forms import BootstrapFormMixin


class CommentForm(BootstrapFormMixin, forms.Form):
    comment = forms.CharField(label=gettext_lazy("Comment"), required=False, max_length=2000, widget=forms.Textarea)


def tenant_order(request, number: str) -> Order:
    """An order of a legal entity the user may act for; anything else is not found."""
    legal_entities = request.tenant.legal_entity_ids
    if not legal_entities:
        raise Http404
    return get_object_or_404(Order.objects.filter(legal_entity_id__in=legal_entities), number=number)


def order_url(order: Order) -> str:
    try:
        return reverse("portal:order_detail", kwargs={"number": order.number})
    except NoReverseMatch:
        return f"/orders/{order.number}/"


def _back(request, order: Order):
    target = request.POST.get("next", "")
    if target.startswith("/") and not target.startswith("//"):
        return redirect(target)
    return redirect(order_url(order))


def _run(request, order: Order, action, success: str):
    form = CommentForm(request.POST)
    comment = form.cleaned_data["comment"] if form.is_valid() else ""
    try:
        action(order=order, actor=request.user, comment=comment)
    except ApplicationError as e:
        messages.error(request, e.message)
    else:
        messages.success(request, success % {"number": order.number})
    return _back(request, order)


@require_POST
@portal_view(Perm.PLACE_ORDERS)
def order_cancel(request, number: str):
    order = tenant_order(request, number)
    if order.placed_by_id != request.user.pk and not request.tenant.can(Perm.MANAGE_COMPANY):
        raise PermissionDenied
    return _run(request, order, order_status.order_cancel, _("Order %(number)s is cancelled."))


@require_POST
@portal_view(Perm.MANAGE_COMPANY)
def order_approve(request, number: str):
    order = tenant_order(request, number)
    return _run(request, order, order_status.order_approve, _("Order %(number)s is approved."))


@require_POST
@portal_view(Perm.MANAGE_COMPANY)
def order_reject(request, number: str):
    order = tenant_order(request, number)
    return _run(request, order, order_status.order_reject, _("Order %(number)s is rejected."))
