"""Template helpers of the buying pages: the cart badge and quantities without trailing zeros."""

from decimal import Decimal

from django import template
from django.template.defaultfilters import floatformat

from optovik.customers.permissions import Perm
from optovik.ordering.selectors import cart_count
from optovik.ordering.services.quantities import quantity_text

register = template.Library()


@register.simple_tag(takes_context=True)
def cart_lines_count(context) -> int:
    """Lines in the current user's cart for the current contract (one query per page)."""
    request = context.get("request")
    tenant = getattr(request, "tenant", None)
    if tenant is None or tenant.contract is None or not tenant.can(Perm.PLACE_ORDERS):
        return 0
    if not hasattr(request, "_cart_lines_count"):
        request._cart_lines_count = cart_count(user=request.user, contract=tenant.contract)
    return request._cart_lines_count


@register.filter
def qty(value) -> str:
    """12.000 → 12, 1.500 → 1.5."""
    if value is None or value == "":
        return ""
    return quantity_text(Decimal(value))


@register.filter
def money(amount, currency: str = "RUB") -> str:
    """1234.5 → «1,234.50 ₽» in the current language's format (what ``catalog/_money.html`` prints),
    without an include per amount: long carts render fast."""
    if amount is None or amount == "":
        return ""
    sign = "₽" if currency in ("RUB", "", None) else currency
    return f"{floatformat(amount, '2g')}\u00a0{sign}"


@register.simple_tag(takes_context=True)
def own_saved_lists(context) -> list:
    """The current user's own lists (for an "add to a list" form), in one query."""
    request = context.get("request")
    tenant = getattr(request, "tenant", None)
    if tenant is None or not tenant.can(Perm.PLACE_ORDERS):
        return []
    from optovik.ordering.models import SavedList

    return list(SavedList.objects.filter(client=tenant.client, owner=request.user).only("pk", "name"))
