"""The cart of the current user and contract: add (from any listing, through HTMX), change, remove."""

import contextlib

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from optovik.core.errors import ApplicationError
from optovik.customers.permissions import Perm
from optovik.ordering import selectors
from optovik.ordering.services import cart as cart_services
from optovik.ordering.services.quantities import quantity_text

from ..access import portal_view
from .catalog import product_urls


def _safe_next(request, default: str = "portal:cart"):
    target = request.POST.get("next") or request.GET.get("next")
    if target and url_has_allowed_host_and_scheme(target, {request.get_host()}, require_https=request.is_secure()):
        return redirect(target)
    return redirect(default)


def current_cart(request, *, create: bool = False):
    """The cart of the current user and contract; None when there is none (yet)."""
    tenant = request.tenant
    if create:
        return cart_services.cart_get_or_create(user=request.user, contract=tenant.contract)
    return selectors.cart_get(user=request.user, contract=tenant.contract)


def _cart_context(request, cart=None, *, error: str = "", error_product: int | None = None) -> dict:
    cart = cart if cart is not None else current_cart(request)
    view = selectors.cart_view(cart=cart, contract=request.tenant.contract)
    return {"view": view, "cart": cart, "error": error, "error_product": error_product, "product_url": product_urls()}


def _toast(request, *, message: str, ok: bool) -> HttpResponse:
    count = selectors.cart_count(user=request.user, contract=request.tenant.contract)
    html = render_to_string("portal/cart/_toast.html", {"message": message, "ok": ok, "count": count}, request=request)
    return HttpResponse(html)


@portal_view(Perm.PLACE_ORDERS)
def cart_page(request):
    return render(request, "portal/cart/cart.html", _cart_context(request))


@portal_view(Perm.PLACE_ORDERS)
@require_POST
def cart_add(request):
    """Adds a product from a listing, a search result or a card. HTMX gets the cart badge and a
    short message back; a plain form post returns to the page it came from."""
    try:
        cart = current_cart(request, create=True)
        line = cart_services.cart_add(
            cart=cart, product_id=request.POST.get("product"), quantity=request.POST.get("quantity")
        )
    except ApplicationError as e:
        if request.htmx:
            return _toast(request, message=e.message, ok=False)
        messages.error(request, e.message)
        return _safe_next(request)
    message = _("%(article)s added to the cart: %(quantity)s %(unit)s in it now.") % {
        "article": line.product.article,
        "quantity": quantity_text(line.quantity),
        "unit": line.product.unit.name,
    }
    if request.htmx:
        return _toast(request, message=message, ok=True)
    messages.success(request, message)
    return _safe_next(request)


def _cart_response(request, *, error: str = "", error_product=None):
    if request.htmx:
        return render(
            request,
            "portal/cart/cart.html#body",
            _cart_context(request, error=error, error_product=error_product),
        )
    if error:
        messages.error(request, error)
    return redirect("portal:cart")


@portal_view(Perm.PLACE_ORDERS)
@require_POST
def cart_update(request):
    cart = current_cart(request)
    product_id = request.POST.get("product")
    if cart is None:
        return _cart_response(request)
    try:
        cart_services.cart_line_set(cart=cart, product_id=product_id, quantity=request.POST.get("quantity"))
    except ApplicationError as e:
        return _cart_response(request, error=e.message, error_product=str(product_id))
    return _cart_response(request)


@portal_view(Perm.PLACE_ORDERS)
@require_POST
def cart_remove(request):
    cart = current_cart(request)
    if cart is not None:
        with contextlib.suppress(ValueError):
            cart_services.cart_line_remove(cart=cart, product_id=int(request.POST.get("product", "")))
    return _cart_response(request)


@portal_view(Perm.PLACE_ORDERS)
@require_POST
def cart_clear(request):
    cart = current_cart(request)
    if cart is not None:
        cart_services.cart_clear(cart=cart)
    if not request.htmx:
        messages.success(request, _("The cart is empty now."))
    return _cart_response(request)
