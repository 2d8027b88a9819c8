"""Saved lists: save the cart as a list, add to a list, order from a list."""

from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from optovik.core.errors import ApplicationError
from optovik.customers.permissions import Perm
from optovik.ordering import selectors
from optovik.ordering.services import cart as cart_services
from optovik.ordering.services import lists as list_services

from ..access import portal_view
from .cart import _safe_next, current_cart
from .orders import report_messages


def _list(request, pk: int):
    """A list the user sees (their own or shared in their company); anything else is not found."""
    saved_list = selectors.saved_list_get(user=request.user, client=request.tenant.client, pk=pk)
    if saved_list is None:
        raise Http404
    return saved_list


def _owned_list(request, pk: int):
    saved_list = _list(request, pk)
    if saved_list.owner_id != request.user.pk:
        raise Http404
    return saved_list


@portal_view(Perm.PLACE_ORDERS)
def list_index(request):
    lists = list(selectors.saved_lists_visible(user=request.user, client=request.tenant.client))
    return render(request, "portal/lists/index.html", {"lists": lists})


@portal_view(Perm.PLACE_ORDERS)
@require_POST
def list_create(request):
    """A new list: from the cart (the cart page's form), or empty (the lists page's form)."""
    name, shared = request.POST.get("name", ""), bool(request.POST.get("shared"))
    try:
        if request.POST.get("empty"):
            saved_list = list_services.saved_list_create(
                owner=request.user, client=request.tenant.client, name=name, shared=shared
            )
        else:
            cart = current_cart(request)
            if cart is None:
                raise ApplicationError(_("The cart is empty: there is nothing to save."))
            saved_list = list_services.saved_list_create_from_cart(
                cart=cart, owner=request.user, name=name, shared=shared
            )
    except ApplicationError as e:
        messages.error(request, e.message)
        return _safe_next(request, "portal:lists")
    messages.success(request, _("List «%(name)s» saved.") % {"name": saved_list.name})
    return redirect("portal:list_detail", pk=saved_list.pk)


@portal_view(Perm.PLACE_ORDERS)
@require_POST
def list_add(request):
    """Adds a product to one of the user's lists (or to a new one) from the catalog."""
    try:
        target = request.POST.get("list")
        if target and target != "new":
            try:
                saved_list = _owned_list(request, int(target))
            except (ValueError, Http404) as e:
                raise ApplicationError(_("Choose one of your lists.")) from e
        else:
            saved_list = list_services.saved_list_create(
                owner=request.user, client=request.tenant.client, name=request.POST.get("name", "")
            )
        line = list_services.saved_list_add(
            saved_list=saved_list,
            user=request.user,
            contract=request.tenant.contract,
            product_id=request.POST.get("product"),
            quantity=request.POST.get("quantity") or "1",
        )
    except ApplicationError as e:
        messages.error(request, e.message)
    else:
        messages.success(
            request,
            _("%(article)s added to list «%(name)s».") % {"article": line.product.article, "name": saved_list.name},
        )
    return _safe_next(request, "portal:lists")


@portal_view(Perm.PLACE_ORDERS)
def list_detail(request, pk: int):
    saved_list = _list(request, pk)
    view = selectors.saved_list_view(saved_list=saved_list, contract=request.tenant.contract)
    return render(
        request,
        "portal/lists/detail.html",
        {"saved_list": saved_list, "view": view, "is_owner": saved_list.owner_id == request.user.pk},
    )


@portal_view(Perm.PLACE_ORDERS)
@require_POST
def list_edit(request, pk: int):
    saved_list = _owned_list(request, pk)
    try:
        list_services.saved_list_update(
            saved_list=saved_list, user=request.user, name=request.POST.get("name", ""),
            shared=bool(request.POST.get("shared")),
        )  # fmt: skip
    except ApplicationError as e:
        messages.error(request, e.message)
    else:
        messages.success(request, _("List saved."))
    return redirect("portal:list_detail", pk=saved_list.pk)


@portal_view(Perm.PLACE_ORDERS)
@require_POST
def list_delete(request, pk: int):
    saved_list = _owned_list(request, pk)
    list_services.saved_list_delete(saved_list=saved_list, user=request.user)
    messages.success(request, _("List «%(name)s» deleted.") % {"name": saved_list.name})
    return redirect("portal:lists")


@portal_view(Perm.PLACE_ORDERS)
@require_POST
def list_line_remove(request, pk: int):
    saved_list = _owned_list(request, pk)
    try:
        product_id = int(request.POST.get("product", ""))
    except ValueError:
        product_id = None
    if product_id:
        list_services.saved_list_line_remove(saved_list=saved_list, user=request.user, product_id=product_id)
    return redirect("portal:list_detail", pk=saved_list.pk)


@portal_view(Perm.PLACE_ORDERS)
@require_POST
def list_to_cart(request, pk: int):
    """Orders from a list: what can be ordered now goes to the cart; the rest is reported."""
    saved_list = _list(request, pk)
    try:
        cart = cart_services.cart_get_or_create(user=request.user, contract=request.tenant.contract)
        report = cart_services.cart_add_available(
            cart=cart, lines=list_services.saved_list_lines(saved_list=saved_list)
        )
    except ApplicationError as e:
        messages.error(request, e.message)
        return redirect("portal:list_detail", pk=saved_list.pk)
    report_messages(request, report)
    return redirect("portal:cart")
