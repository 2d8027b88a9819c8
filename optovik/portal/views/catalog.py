"""The catalog as customers see it: top categories, a category's products, the product card.

Prices are those of the current contract (``request.tenant.contract``); without a contract the
pages show products without prices. Everything is read through the catalog's selectors.
"""

from decimal import Decimal
from types import SimpleNamespace
from urllib.parse import quote, urlencode

from django.http import Http404
from django.shortcuts import render
from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext_lazy as _

from optovik.catalog import selectors
from optovik.catalog.selectors_portal import (
    category_by_path,
    category_path,
    category_segment,
    category_visible,
)
from optovik.customers.permissions import Perm
from optovik.portal.access import portal_view

PER_PAGE = 48
LAYOUTS = ("tiles", "list")
SESSION_LAYOUT = "catalog_layout"
SORT_LABELS = {
    "relevance": _("relevance"),
    "name": _("name"),
    "price": _("price, low to high"),
    "-price": _("price, high to low"),
    "availability": _("availability"),
    "newest": _("newest first"),
}
SORT_CHOICES = ("name", "price", "-price", "availability", "newest")


def cart_add_url() -> str | None:
    """The address of "add to cart", once the cart exists; until then the pages show no button."""
    try:
        return reverse("portal:cart_add")
    except NoReverseMatch:
        return None


def product_urls():
    """``article → address of its card`` with one ``reverse`` for a whole page instead of one per row
    (escaped as ``reverse`` escapes it)."""
    marker = "ARTICLE"
    before, _marker, after = reverse("portal:product", kwargs={"article": marker}).rpartition(marker)
    return lambda article: f"{before}{quote(article, safe=SAFE_IN_PATH)}{after}"


SAFE_IN_PATH = "!$&'()*+,;=/~:@"  # what ``reverse`` leaves unescaped in a path


def rows_prepare(rows) -> None:
    """What a product row shows besides the selector's data: its card's address and the bounds
    of its quantity input."""
    url = product_urls()
    for row in rows:
        row.url = url(row.product.article)
        row.quantity = quantity_bounds(row.product)


def layout_for(request) -> str:
    """Tiles or list: a choice in the query string is remembered for the rest of the session."""
    chosen = request.GET.get("view")
    if chosen in LAYOUTS:
        request.session[SESSION_LAYOUT] = chosen
        return chosen
    stored = request.session.get(SESSION_LAYOUT)
    return stored if stored in LAYOUTS else "tiles"


def _number(value: Decimal) -> str:
    value = Decimal(value).normalize()
    return f"{value:f}" if value == value.to_integral() else f"{value:f}".rstrip("0")


def quantity_bounds(product) -> dict:
    """The quantity input's ``min`` and ``step``: the smallest multiple of the pack that reaches
    the minimum order, and the pack itself (the browser then offers only whole packs)."""
    step = product.pack_multiplicity if product.pack_multiplicity > 0 else Decimal(1)
    minimum = max(product.min_order_quantity, step)
    packs = (minimum / step).to_integral_value(rounding="ROUND_CEILING")
    return {"min": _number(packs * step), "step": _number(step)}


def base_context(request) -> dict:
    tenant = request.tenant
    contract = tenant.contract
    return {
        "contract": contract,
        "show_prices": contract is not None,
        "cart_add_url": cart_add_url() if contract is not None and tenant.can(Perm.PLACE_ORDERS) else None,
        "next_url": request.get_full_path(),
    }


def listing_context(request, *, contract, category=None, query=None) -> dict:
    """The page of products, the facets for it and the display choices of a listing."""
    filters = selectors.filters_from_querydict(request.GET)
    default_sort = "relevance" if query else "name"
    sort = request.GET.get("sort") or default_sort
    page = selectors.product_list(
        contract=contract,
        category=category,
        query=query,
        filters=filters,
        sort=sort,
        page=request.GET.get("page") or 1,
        per_page=PER_PAGE,
    )
    facets = []
    if not request.htmx:
        facets = selectors.facets(
            contract=contract,
            category=category,
            filters=filters,
            search=page.search,
            result_size=None if filters else page.total,
        )
    rows_prepare(page.rows)
    sorts = ("relevance", *SORT_CHOICES) if query else SORT_CHOICES
    if contract is None:
        sorts = tuple(s for s in sorts if s not in ("price", "-price"))
    kept = {key: request.GET[key] for key in ("q", "sort") if request.GET.get(key)}
    return {
        "page": page,
        "page_links": page_links(page.page, page.num_pages),
        "facets": facets,
        "filters": filters,
        "filtered": bool(filters),
        "reset_url": request.path + (f"?{urlencode(kept)}" if kept else ""),
        "layout": layout_for(request),
        "sorts": [(s, SORT_LABELS[s]) for s in sorts],
    }


def page_links(current: int, last: int) -> list[int | None]:
    """Page numbers to link: the first, the last and two on each side of the current one;
    ``None`` stands for a gap."""
    shown = sorted({1, last, *range(max(1, current - 2), min(last, current + 2) + 1)})
    links: list[int | None] = []
    for n in shown:
        if links and n - links[-1] > 1:
            links.append(None)
        links.append(n)
    return links


def render_listing(request, template: str, context: dict):
    """The whole page, or only the next rows for HTMX "show more"."""
    if request.htmx and not request.htmx.boosted:
        return render(request, "portal/catalog/_products.html#page", context)
    return render(request, template, context)


@portal_view(Perm.VIEW_CATALOG)
def catalog_index(request):
    context = base_context(request)
    tree = selectors.category_tree(contract=context["contract"], max_depth=1)
    context["categories"] = [
        {
            "category": node.category,
            "path": category_segment(node.category),
            "children": [
                {
                    "category": child.category,
                    "path": f"{category_segment(node.category)}/{category_segment(child.category)}",
                }
                for child in node.children
            ],
        }
        for node in tree
    ]
    return render(request, "portal/catalog/index.html", context)


def _subcategories(children, path: str) -> list[dict]:
    return [{"category": c.category, "path": f"{path}/{category_segment(c.category)}"} for c in children]


def crumbs(breadcrumbs) -> list[dict]:
    """Breadcrumbs with the address path of each category."""
    return [{"category": c, "path": category_path(breadcrumbs=breadcrumbs[: i + 1])} for i, c in enumerate(breadcrumbs)]


@portal_view(Perm.VIEW_CATALOG)
def category_detail(request, category_path):
    context = base_context(request)
    contract = context["contract"]
    category = category_by_path(path=category_path)
    if category is None or not category_visible(contract=contract, category=category):
        raise Http404
    context.update(listing_context(request, contract=contract, category=category))
    if not request.htmx:
        path = category_path.strip("/")
        context.update(
            category=category,
            category_path=path,
            breadcrumbs=crumbs(selectors.category_breadcrumbs(category=category)),
            subcategories=_subcategories(
                selectors.category_children(contract=contract, category=category, levels=1), path
            ),
        )
    return render_listing(request, "portal/catalog/category.html", context)


@portal_view(Perm.VIEW_CATALOG)
def product_detail(request, article):
    context = base_context(request)
    contract = context["contract"]
    card = selectors.product_card(contract=contract, article=article)
    if card is None:
        return _product_discontinued(request, context, article)
    rows = {row.product.pk: row for row in selectors.product_card_rows(contract=contract, card=card)}
    rows_prepare(rows.values())
    arrival = card.availability.next_arrival
    warehouse_names = {w.warehouse_id: w.name for w in card.availability.warehouses}
    quantity = quantity_bounds(card.product)
    context.update(
        card=card,
        product=card.product,
        price=card.price,
        quantity=quantity,
        breadcrumbs=crumbs(card.breadcrumbs),
        card_row=SimpleNamespace(product=card.product, price=card.price, quantity=quantity),
        relation_sections=[
            _relation_section(kind, [rows[p.pk] for p in shown if p.pk in rows], total, card.product, more=True)
            for kind, shown, total in (
                ("analog", card.analogs, card.analogs_total),
                ("related", card.related, card.related_total),
            )
        ],
        arrival=arrival,
        arrival_warehouse=warehouse_names.get(arrival.warehouse_id, "") if arrival else "",
        layout="tiles",
    )
    return render(request, "portal/catalog/product.html", context)


RELATION_TITLES = {"analog": _("Analogs"), "related": _("Related products")}


def _product_discontinued(request, context, article):
    """The page of a product no longer sold (410 Gone): what it was and its analogs; 404 when
    there is no such product the customer could know."""
    gone = selectors.product_discontinued(contract=context["contract"], article=article)
    if gone is None:
        raise Http404
    rows_prepare(gone.analogs)
    context.update(
        product=gone.product,
        section=_relation_section("analog", gone.analogs, gone.analogs_total, gone.product, more=False),
        breadcrumbs=crumbs(selectors.category_breadcrumbs(category=gone.product.category)),
        layout="tiles",
    )
    return render(request, "portal/catalog/discontinued.html", context, status=410)


def _relation_section(kind, rows, total, product, *, more: bool) -> dict:
    """A card section of analogs or related products: ``rows`` of ``total``; ``more``: offer the
    rest ("show all") when some are not shown."""
    return {
        "kind": kind,
        "title": RELATION_TITLES[kind],
        "rows": rows,
        "total": total,
        "product": product,
        "more": more and total > len(rows),
    }


@portal_view(Perm.VIEW_CATALOG)
def product_relations(request, kind, article):
    """All of a product's analogs or related products (the card shows the first few); to HTMX the
    card's section with all of them."""
    context = base_context(request)
    found = selectors.product_relations(contract=context["contract"], article=article, kind=kind)
    if found is None:
        raise Http404
    product, rows, total = found
    rows_prepare(rows)
    section = _relation_section(kind, rows, total, product, more=False)  # all there are, up to the limit
    context.update(section=section, product=product, layout="tiles")
    if request.htmx:  # the rows' forms lead back to the card the section is on
        context["next_url"] = reverse("portal:product", kwargs={"article": product.article})
        return render(request, "portal/catalog/_relations.html", context)
    context["breadcrumbs"] = crumbs(selectors.category_breadcrumbs(category=product.category))
    return render(request, "portal/catalog/relations.html", context)
