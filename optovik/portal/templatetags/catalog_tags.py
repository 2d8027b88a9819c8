"""Product rows of the catalog lists, written out in Python.

A list page shows 48 of them, and Django's template engine spent about a third of a category page's
CPU on them (some 60 template nodes a row). The markup is the same a template would give; the
pieces are tags for the templates: ``{% product_rows page.rows layout %}`` (tiles or list rows),
``{% product_stock row %}`` and ``{% product_buy row %}`` (the card uses these two as well).
Every value is escaped; the words come from the same translation catalogue as the templates'.
"""

from django import template
from django.template.backends.utils import csrf_input
from django.template.defaultfilters import floatformat
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

from .portal_tags import esc, money

register = template.Library()


def _words() -> dict[str, str]:
    """The rows' fixed words, translated and escaped once for a whole page."""
    return {
        "base_price": esc(_("Base price")),
        "on_request": esc(_("Price on request")),
        "availability": esc(_("Availability")),
        "add_to_cart": esc(_("Add to cart")),
    }


def _price(row, show_prices: bool, words: dict[str, str]) -> str:
    if not show_prices:
        return ""
    price = row.price
    if price is not None and price.is_priced:
        struck = ""
        contract, base = price.contract_price, price.base_price
        if contract is not None and base is not None and contract < base:
            struck = (
                '<s class="catalog-base-price text-secondary small me-1"><span class="visually-hidden">'
                f"{words['base_price']}: </span>{esc(money(base, price.currency))}</s>"
            )
        body = (
            f'\n  {struck}\n    <span class="catalog-contract-price fw-semibold">'
            f"{esc(money(price.unit_gross, price.currency))}</span>\n  "
        )
    else:
        body = f'\n  <span class="text-secondary small">{words["on_request"]}</span>'
    return f'<div class="catalog-price">{body}\n</div>'


def _stock(row, words: dict[str, str]) -> str:
    availability = row.availability
    unit = f" {esc(row.product.unit.name)}" if availability.exact and availability.in_stock else ""
    return (
        f'<span class="catalog-stock stock-{esc(availability.level)} small text-nowrap">'
        '<i class="bi bi-circle-fill" aria-hidden="true"></i> '
        f'<span class="visually-hidden">{words["availability"]}: </span>{esc(availability.display)}{unit}</span>'
    )


def _buy(row, *, words: dict[str, str], cart_add_url: str, next_url: str, id_prefix: str, csrf: str) -> str:
    """The quantity and "add to cart" of a row; ``cart_add_url``, ``next_url`` and ``id_prefix``
    come escaped (``_buy_options``)."""
    product = row.product
    minimum, step = esc(row.quantity["min"]), esc(row.quantity["step"])
    unit = esc(product.unit.name)
    field_id = f"qty-{id_prefix}{product.pk}"
    if cart_add_url:
        start = (
            f'<form method="post" action="{cart_add_url}" class="catalog-buy d-flex gap-2 align-items-center">'
            f"{csrf}"
            f'<input type="hidden" name="product" value="{product.pk}">'
            f'<input type="hidden" name="next" value="{next_url}">'
        )
        end = (
            '<button class="btn btn-primary btn-sm text-nowrap" type="submit">'
            f'<i class="bi bi-cart-plus" aria-hidden="true"></i> {words["add_to_cart"]}</button></form>'
        )
    else:
        start, end = '<div class="catalog-buy d-flex gap-2 align-items-center">', "</div>"
    maximum = row.price.max_quantity if row.price is not None else None
    limit = f' max="{esc(floatformat(maximum, "-3u"))}"' if maximum else ""
    hint = ""
    if step != "1" or minimum != "1":
        words = _("Packs of %(step)s %(unit)s, from %(minimum)s") % {"step": step, "unit": unit, "minimum": minimum}
        hint = f'\n  <div class="form-text catalog-qty-hint">{words}</div>'
    label = _("Quantity, %(unit)s") % {"unit": unit}
    return (
        f'{start}\n  <div class="input-group input-group-sm catalog-qty">\n'
        f'    <label class="visually-hidden" for="{field_id}">{label}</label>\n'
        f'    <input class="form-control" type="number" id="{field_id}" name="quantity" value="{minimum}"'
        f' min="{minimum}" step="{step}"{limit} inputmode="decimal" required>\n'
        f'    <span class="input-group-text">{unit}</span>\n  </div>\n  {end}{hint}\n'
    )


def _thumb(row) -> str:
    image = row.image
    if not image:
        return '<span class="catalog-noimage" aria-hidden="true"><i class="bi bi-box-seam"></i></span>'
    src = image.thumbnail.url if image.thumbnail else image.image.url
    return f'<img src="{esc(src)}" alt="{esc(image.alt or row.product.name)}" loading="lazy">'


def _heading(row) -> tuple[str, str]:
    product = row.product
    brand = f" · {esc(product.brand.name)}" if product.brand else ""
    line = f'<span class="font-monospace catalog-article">{esc(product.article)}</span>{brand}'
    name = f'<a href="{esc(row.url)}">{esc(product.name)}</a>'
    return line, name


def _tile(row, price: str, stock: str, buy: str, h: str = "h2") -> str:
    line, name = _heading(row)
    return (
        '<div class="col catalog-item">\n  <article class="card h-100 catalog-tile">\n'
        f'    <a class="catalog-thumb" href="{esc(row.url)}" tabindex="-1" aria-hidden="true">{_thumb(row)}</a>\n'
        '    <div class="card-body d-flex flex-column gap-2">\n'
        f'      <div class="small text-secondary">{line}</div>\n'
        f'      <{h} class="h6 mb-0 catalog-name">{name}</{h}>\n'
        f'      <div class="mt-auto d-flex justify-content-between align-items-end gap-2">{price}{stock}</div>\n'
        f"      {buy}\n    </div>\n  </article>\n</div>"
    )


def _list_row(row, price: str, stock: str, buy: str, h: str = "h2") -> str:
    line, name = _heading(row)
    return (
        '<div class="col catalog-item">\n  <article class="card catalog-row">\n    <div class="card-body">\n'
        '      <div class="row g-2 align-items-center">\n'
        '        <div class="col-auto"><a class="catalog-thumb catalog-thumb-sm" '
        f'href="{esc(row.url)}" tabindex="-1" aria-hidden="true">{_thumb(row)}</a></div>\n'
        '        <div class="col">\n'
        f'          <div class="small text-secondary">{line}</div>\n'
        f'          <{h} class="h6 mb-0 catalog-name">{name}</{h}>\n'
        "        </div>\n"
        '        <div class="w-100 d-md-none"></div>\n'  # phones: price and stock on a line of their own
        f'        <div class="col-6 col-md-auto catalog-row-price text-md-end">{price}</div>\n'
        f'        <div class="col-6 col-md-auto catalog-row-stock text-end text-md-center">{stock}</div>\n'
        f'        <div class="col-12 col-md-auto">{buy}</div>\n'
        "      </div>\n    </div>\n  </article>\n</div>"
    )


def _buy_options(context, words: dict[str, str]) -> dict:
    """What every row's form shares, escaped once for the page."""
    request = context.get("request")
    return {
        "words": words,
        "cart_add_url": esc(context.get("cart_add_url") or ""),
        "next_url": esc(context.get("next_url") or ""),
        "id_prefix": esc(context.get("id_prefix") or ""),
        "csrf": csrf_input(request) if request is not None else "",  # the hidden field {% csrf_token %} writes
    }


@register.simple_tag(takes_context=True)
def product_rows(context, rows, layout: str = "tiles") -> SafeString:
    """Tiles (``layout="tiles"``) or list rows of ``rows`` (selector rows with ``url`` and ``quantity``).
    Product names are ``h2`` headings, ``h3`` where the context says ``row_heading="h3"`` (rows in a
    section of their own, such as the card's analogs)."""
    show_prices = bool(context.get("show_prices"))
    words = _words()
    options = _buy_options(context, words)
    wrap = _list_row if layout == "list" else _tile
    h = "h3" if context.get("row_heading") == "h3" else "h2"
    return mark_safe(  # every value in it is escaped
        "".join(wrap(row, _price(row, show_prices, words), _stock(row, words), _buy(row, **options), h) for row in rows)
    )


@register.simple_tag
def product_stock(row) -> SafeString:
    return mark_safe(_stock(row, _words()))


@register.simple_tag(takes_context=True)
def product_buy(context, row) -> SafeString:
    return mark_safe(_buy(row, **_buy_options(context, _words())))


@register.simple_tag
def facet_values(facet) -> SafeString:
    """The checkboxes of one filter with their counts (a search can show a few hundred of them)."""
    attribute = facet.attribute
    boolean = attribute.kind == "boolean"
    yes, no = esc(_("yes")), esc(_("no"))
    parts = []
    for n, v in enumerate(facet.values, start=1):
        field_id = f"f{attribute.pk}-{n}"
        state = (" checked" if v.selected else "") + (" disabled" if not v.count and not v.selected else "")
        shown = (yes if v.value == "1" else no) if boolean else esc(v.value)
        parts.append(
            f'<div class="form-check">\n            <input class="form-check-input" type="checkbox" '
            f'name="a{attribute.pk}" value="{esc(v.value)}" id="{field_id}"{state} data-autosubmit>\n'
            f'            <label class="form-check-label d-flex justify-content-between gap-2" for="{field_id}">\n'
            f"              <span>{shown}</span>\n"
            f'              <span class="badge text-bg-light facet-count">{v.count}</span>\n'
            "            </label>\n          </div>"
        )
    return mark_safe("".join(parts))  # every value in it is escaped
