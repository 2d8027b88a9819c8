"""Product search: the results page (an exact article opens the card) and the header suggestions."""

from django.shortcuts import redirect, render

from optovik.catalog.search import search_suggest
from optovik.catalog.search.text import normalize_query
from optovik.catalog.selectors import category_tree
from optovik.catalog.selectors_portal import category_segment
from optovik.customers.permissions import Perm
from optovik.portal.access import portal_view
from optovik.pricing.resolver import prices_resolve

from .catalog import base_context, listing_context, render_listing

SUGGESTIONS = 8
MAX_QUERY_CHARS = 200


def _query(request) -> str:
    return normalize_query(request.GET.get("q", ""))[:MAX_QUERY_CHARS]


@portal_view(Perm.VIEW_CATALOG)
def search(request):
    context = base_context(request)
    q = _query(request)
    context["q"] = q
    if not q:
        context.update(page=None, facets=[], layout="tiles", sorts=())
        return render(request, "portal/catalog/search.html", context)
    context.update(listing_context(request, contract=context["contract"], query=q))
    page = context["page"]
    if page.exact_product_id and not context["filtered"] and page.rows and not request.htmx:
        return redirect("portal:product", article=page.rows[0].product.article)
    if page.search.discontinued_article and not context["filtered"] and not request.htmx:
        return redirect("portal:product", article=page.search.discontinued_article)
    if not page.rows and not context["filtered"] and not request.htmx:
        context["categories"] = [
            {"category": node.category, "path": category_segment(node.category)}
            for node in category_tree(contract=context["contract"], max_depth=0)
        ]
    return render_listing(request, "portal/catalog/search.html", context)


@portal_view(Perm.VIEW_CATALOG)
def search_suggestions(request):
    """The dropdown under the header search box (an HTMX partial; empty for an empty query)."""
    context = base_context(request)
    contract = context["contract"]
    q = _query(request)
    suggestions = search_suggest(q, contract, limit=SUGGESTIONS) if q else []
    prices = {}
    if suggestions and contract is not None:
        prices = prices_resolve(contract=contract, items=[(s.product_id, 1) for s in suggestions], one_order=False)
    context.update(q=q, suggestions=[(s, prices.get(s.product_id)) for s in suggestions])
    return render(request, "portal/catalog/_suggestions.html", context)
