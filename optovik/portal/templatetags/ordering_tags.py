"""Template helpers of the buying pages: the cart badge and quantities without trailing zeros."""

from decimal import Decimal

from django import template

from optovik.customers.permissions import Perm
from optovik.ordering.selectors import cart_count
from optovik.ordering.services.quantities import quantity_text
from optovik.portal.templatetags.portal_tags import money

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


register.filter("money", money)  # the same filter for pages that load only these tags


@register.simple_tag(takes_context=True)
def own_saved_lists(context) -> list:
    """The current user's own lists (for an "add to a list" form), in one query."""
    request = context.get("request")
    tenant = getattr(request, "tenant", None)
    if tenant is None or not tenant.can(Perm.PLACE_ORDERS):
        return []
    from optovik.ordering.models import SavedList

    return list(SavedList.objects.filter(client=tenant.client, owner=request.user).only("pk", "name"))
