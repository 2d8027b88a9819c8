"""Template helpers of the buying pages: the cart badge and quantities without trailing zeros."""

from decimal import Decimal

from django import template
from django.template.backends.utils import csrf_input
from django.template.defaultfilters import floatformat
from django.urls import reverse
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

from optovik.customers.permissions import Perm
from optovik.ordering.selectors import cart_count
from optovik.ordering.services.quantities import quantity_text
from optovik.portal.templatetags.portal_tags import esc, money

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


def _cart_row(row, *, words: dict, urls: dict, csrf: str, error: str, error_product: str) -> str:
    """One cart line as a table row: product, availability, price, quantity form, amount, remove button."""
    product, price, availability = row.product, row.price, row.availability
    pk, article = product.pk, esc(product.article)
    state = " table-danger" if row.problem else " table-warning" if row.short else ""
    level = esc(availability.level) if availability else ""
    shown = esc(availability.display) if availability else ""
    notes = ""
    if row.problem:
        notes = f'<div class="small text-danger cart-problem">{esc(row.problem)}</div>'
    elif row.short:
        notes = (
            '<div class="small text-warning-emphasis cart-short"><i class="bi bi-exclamation-triangle" '
            f'aria-hidden="true"></i> {words["short"]}</div>'
        )
    if error and error_product == str(pk):
        notes += f'\n      <div class="small text-danger">{esc(error)}</div>'
    currency = price.currency if price is not None else ""
    if price is not None and price.is_priced:
        unit_price = esc(money(price.unit_gross, currency))
        if price.discount_percent:
            unit_price += f'<div class="small text-success">−{esc(floatformat(price.discount_percent, "-2"))}%</div>'
    else:
        unit_price = f'<span class="text-secondary small">{words["on_request"]}</span>'
    step, minimum = row.step, row.minimum
    packs = ""
    if step != "1" or minimum != "1":
        packs = words["packs"] % {"step": esc(step), "minimum": esc(minimum)}
        packs = f'<div class="form-text">{packs}</div>'
    update, remove = urls["update"], urls["remove"]
    return f"""
  <tr id="cart-line-{pk}" class="cart-line{state}">
    <td>
      <div class="small text-secondary font-monospace">{article}</div>
      <a href="{esc(urls["product"](product.article))}">{esc(product.name)}</a>
      <div class="small"><span class="catalog-stock stock-{level}"><i class="bi bi-circle-fill" \
aria-hidden="true"></i> {words["available"]}: {shown}</span></div>
      {notes}
    </td>
    <td class="text-end text-nowrap">{unit_price}</td>
    <td>
      <form method="post" action="{update}" hx-post="{update}" hx-trigger="change" hx-target="#cart-body" \
hx-swap="outerHTML" class="d-flex gap-1 align-items-center" novalidate>{csrf}
        <input type="hidden" name="product" value="{pk}">
        <label class="visually-hidden" for="cart-qty-{pk}">{words["quantity_of"]} {article}</label>
        <input class="form-control form-control-sm cart-qty" type="number" id="cart-qty-{pk}" name="quantity" \
value="{esc(qty(row.quantity))}" min="0" step="{esc(step)}" inputmode="decimal">
        <span class="small text-secondary">{esc(product.unit.name)}</span>
        <noscript><button class="btn btn-sm btn-outline-secondary">{words["update"]}</button></noscript>
      </form>
      {packs}
    </td>
    <td class="text-end text-nowrap cart-amount">{esc(money(row.amount_gross, currency))}</td>
    <td class="text-end">
      <form method="post" action="{remove}" hx-post="{remove}" hx-target="#cart-body" hx-swap="outerHTML">{csrf}\
<input type="hidden" name="product" value="{pk}">
        <button class="btn btn-sm btn-outline-danger" title="{words["remove"]}"><i class="bi bi-x-lg" \
aria-hidden="true"></i><span class="visually-hidden">{words["remove"]} {article}</span></button>
      </form>
    </td>
  </tr>
  """


@register.simple_tag(takes_context=True)
def cart_rows(context, rows) -> SafeString:
    """The cart's lines, written in Python: a cart of 200 lines spent most of its page's CPU in some 40
    template nodes a line. Every value is escaped."""
    words = {
        "available": esc(_("Available")),
        "quantity_of": esc(_("Quantity of")),
        "remove": esc(_("Remove")),
        "update": esc(_("Update")),
        "short": esc(_("Not available in this quantity: the order will be refused unless you lower it.")),
        "on_request": esc(_("Price on request")),
        "packs": _("Packs of %(step)s, from %(minimum)s"),
    }
    urls = {
        "update": esc(reverse("portal:cart_update")),
        "remove": esc(reverse("portal:cart_remove")),
        "product": context["product_url"],  # the card's address of an article (one reverse for the cart)
    }
    csrf = csrf_input(context["request"])  # the hidden field {% csrf_token %} writes, once for every line
    error, error_product = context.get("error") or "", str(context.get("error_product") or "")
    return mark_safe(  # every value in it is escaped
        "".join(
            _cart_row(row, words=words, urls=urls, csrf=csrf, error=error, error_product=error_product) for row in rows
        )
    )
