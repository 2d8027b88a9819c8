"""Reads of the catalog for pages, the API and exports. Every product read goes through
``product_visible_queryset`` (the card's plain SQL through ``product_visible_sql``, the same
rule), or, on category pages, through the listing rows and the listed attribute values, which
exist for active products only and are not read for "specification only" contracts (the rule's
other half); every price through ``optovik.pricing.resolver``.

Listings issue a fixed number of queries whatever the number of rows. Counts of large results are
capped (``COUNT_CAP``): "10 000+" is all a person needs to know, and it spares a count of a million
rows. Facets of very broad results (``FACET_MAX_PRODUCTS``) are not computed: a category or a
search narrow enough gets them.
"""

import functools
import heapq
import itertools
import math
from collections import defaultdict
from dataclasses import dataclass, field

from django.db import connection
from django.db.models import Count, F, OuterRef, Q, QuerySet, Subquery
from django.db.models.functions import Coalesce
from django.db.models.lookups import In, IsNull
from django.utils.translation import gettext

from optovik.core.rawsql import Columns, columns, id_list, placeholders, table
from optovik.inventory.selectors import Availability, availability_for_products, available_total_expression
from optovik.pricing.models import ContractPrice, Price
from optovik.pricing.resolver import ResolvedPrice, price_type_for, prices_resolve

from .models import (
    Attribute,
    Barcode,
    Brand,
    Category,
    CategoryProduct,
    Product,
    ProductAttributeValue,
    ProductImage,
    ProductRelation,
    Unit,
    VatRate,
)
from .search import SearchResult, product_search
from .visibility import (
    product_discontinued_queryset,
    product_visible_queryset,
    product_visible_sql,
    spec_only_contract_id,
)

__all__ = [
    "category_breadcrumbs",
    "category_children",
    "category_descendant_ids",
    "category_get",
    "category_subtree",
    "category_tree",
    "facets",
    "filters_from_querydict",
    "product_card",
    "product_card_rows",
    "product_list",
    "product_relations",
    "product_visible_queryset",
]

SORTS = ("name", "price", "-price", "availability", "newest", "relevance")
COUNT_CAP = 10_000
FACET_MAX_PRODUCTS = 5_000
WALK_ROWS = 5_000  # listing rows a filtered category page walks for its matches before it sorts them
PRICE_WINDOWS = (2_000, 6_000, 20_000)  # prices a broad category page sorted by price reads, then it sorts
MAX_PER_PAGE = 200
RELATIONS_ON_CARD = 12  # per kind; the card links to the rest (``product_relations``)
RELATIONS_MAX = 1_000


# Categories ------------------------------------------------------------------------------------


@dataclass
class CategoryNode:
    category: Category
    children: list["CategoryNode"] = field(default_factory=list)


def category_get(*, category_id: int) -> Category | None:
    return Category.objects.filter(pk=category_id, is_active=True).first()


def category_subtree(*, category: Category) -> list[Category]:
    """The category and every category under it, active or not, in display order: one indexed
    query on the materialized path, kept on the instance — a category page needs it for the
    listing, the facets and the subcategories."""
    subtree = getattr(category, "_subtree", None)
    if subtree is None or subtree[0].path != category.path:
        subtree = list(Category.objects.filter(path__startswith=category.path).order_by("depth", "sort_order", "name"))
        category._subtree = subtree
    return subtree


def category_descendant_ids(*, category: Category) -> list[int]:
    """The category and all its active subcategories."""
    return [c.pk for c in category_subtree(category=category) if c.is_active]


def category_breadcrumbs(*, category: Category) -> list[Category]:
    """Categories from the root down to ``category`` itself (one query, none when the category was
    found by its address: ``category_by_path`` read them on the way)."""
    ids = category.ancestor_ids
    known = getattr(category, "_breadcrumbs", None)
    if known is not None and [c.pk for c in known] == ids:
        return list(known)
    c = columns(Category, "c")
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {c.sql} FROM {table(Category)} c WHERE c.id IN ({placeholders(ids)})", ids)  # noqa: S608
        by_id = {category.pk: category for category in map(c.read, cursor.fetchall())}
    return [by_id[i] for i in ids if i in by_id]


@dataclass(frozen=True)
class _ListedColumns:
    """A product under alias ``p`` with its unit and brand, as listing rows and the card's
    relations show it: ``sql`` for the select list, ``joins`` to follow ``FROM … p``."""

    p: Columns
    u: Columns
    b: Columns

    @property
    def sql(self) -> str:
        return f"{self.p.sql}, {self.u.sql}, {self.b.sql}"

    @property
    def joins(self) -> str:
        return f"JOIN {table(Unit)} u ON u.id = p.unit_id LEFT JOIN {table(Brand)} b ON b.id = p.brand_id"

    def __len__(self) -> int:
        return len(self.p) + len(self.u) + len(self.b)

    def read(self, row, start: int = 0) -> Product:
        product = self.p.read(row, start)
        start += len(self.p)
        product.unit, product.brand = self.u.read(row, start), self.b.read(row, start + len(self.u))
        return product


@functools.cache
def _listed_columns() -> _ListedColumns:
    return _ListedColumns(columns(Product, "p"), columns(Unit, "u"), columns(Brand, "b"))


def _products_by_id(ids: list[int]) -> dict[int, Product]:
    """These products (already known to be visible) with their units and brands."""
    if not ids:
        return {}
    listed = _listed_columns()
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT {listed.sql} FROM {table(Product)} p {listed.joins} WHERE p.id IN ({placeholders(ids)})",  # noqa: S608
            list(ids),
        )
        return {product.pk: product for product in map(listed.read, cursor.fetchall())}


def _products_in_order(ids: list[int]) -> list[Product]:
    """These products in this order, active ones only: pages whose ids come from the listing rows,
    the listed values or the prices leave out one archived behind the services' back."""
    by_id = _products_by_id(ids)
    return [by_id[pk] for pk in ids if pk in by_id and by_id[pk].status == Product.Status.ACTIVE]


def category_tree(*, contract=None, max_depth: int | None = None) -> list[CategoryNode]:
    """The active category tree as nested nodes. For a "specification only" contract, only the
    categories that hold one of its products (and their parents)."""
    qs = Category.objects.filter(is_active=True).order_by("depth", "sort_order", "name")
    if max_depth is not None:
        qs = qs.filter(depth__lte=max_depth)
    categories = list(qs)
    if spec_only_contract_id(contract) is not None:
        leaf_ids = set(product_visible_queryset(contract=contract).values_list("category_id", flat=True).distinct())
        paths = [c.path for c in categories if c.pk in leaf_ids]
        keep = {int(x) for p in paths for x in p.strip("/").split("/") if x}
        categories = [c for c in categories if c.pk in keep]
    nodes = {c.pk: CategoryNode(c) for c in categories}
    roots = []
    for c in categories:
        parent = nodes.get(c.parent_id)
        (parent.children if parent else roots).append(nodes[c.pk])
    return roots


def category_children(*, contract, category: Category, levels: int = 2) -> list[CategoryNode]:
    """The subcategories of ``category`` down to ``levels`` below it, as nested nodes (one query,
    plus one for a "specification only" contract) — cheaper than the whole tree on a category page."""
    categories = [
        c
        for c in category_subtree(category=category)
        if c.is_active and category.depth < c.depth <= category.depth + levels
    ]
    if spec_only_contract_id(contract) is not None:
        leaf_ids = set(product_visible_queryset(contract=contract).values_list("category_id", flat=True).distinct())
        paths = list(Category.objects.filter(pk__in=leaf_ids).values_list("path", flat=True))
        keep = {int(x) for p in paths for x in p.strip("/").split("/") if x}
        categories = [c for c in categories if c.pk in keep]
    nodes = {c.pk: CategoryNode(c) for c in categories}
    roots = []
    for c in categories:
        parent = nodes.get(c.parent_id)
        (parent.children if parent else roots).append(nodes[c.pk])
    return roots


# Filters -----------------------------------------------------------------------------------------


MAX_FILTERS = 20  # attributes filtered at once; each is a lookup (or a join) per candidate
MAX_FILTER_VALUES = 50  # values of one attribute


def filters_from_querydict(querydict) -> dict[int, list[str]]:
    """``{attribute_id: [values]}`` from GET parameters ``a<attribute_id>=<value>`` (repeatable).
    Anything else is ignored: other parameters, ids no database column holds, filters beyond the
    first ``MAX_FILTERS`` attributes and ``MAX_FILTER_VALUES`` values."""
    result: dict[int, list[str]] = {}
    for key in querydict:
        if len(result) == MAX_FILTERS:
            break
        number = key[1:]
        if not (key.startswith("a") and number.isascii() and number.isdigit() and 0 < int(number) < 2**63):
            continue
        values = [v for v in querydict.getlist(key) if v][:MAX_FILTER_VALUES]
        if values:
            result[int(number)] = values
    return result


def _filters_cleaned(filters: dict | None) -> dict[int, list[str]]:
    """``{attribute_id: [value text, …]}`` without attributes that have no value chosen."""
    return {int(k): [str(v) for v in vs] for k, vs in (filters or {}).items() if vs}


def _apply_filters(qs: QuerySet, filters: dict, *, skip: int | None = None) -> QuerySet:
    for attribute_id, values in filters.items():
        if attribute_id == skip:
            continue
        # A join per filtered attribute: one index lookup per candidate row, not IN over every
        # product that has the value (the candidates are already narrowed by category or search).
        # A product has one value per attribute, so the join never repeats a product; it reads the
        # covering (product, attribute, value) index alone, where EXISTS also read the table.
        qs = qs.filter(attribute_values__attribute_id=attribute_id, attribute_values__value_key__in=values)
    return qs


def _listing_filtered(listing: QuerySet, filters: dict) -> QuerySet:
    """Listing rows whose product has one of the chosen values of each filtered attribute. The
    value is looked up per row (one per product and attribute) in the covering (product,
    attribute, value) index, so the name-ordered page stops at its last row; a join would let
    PostgreSQL read every product that has the value (148,000 for a yes/no attribute at a
    million products) and sort the whole result by name."""
    for attribute_id, values in filters.items():
        value = ProductAttributeValue.objects.filter(product_id=OuterRef("product_id"), attribute_id=attribute_id)
        listing = listing.filter(In(Subquery(value.values("value_key")[:1]), values))
    return listing


def _base(*, contract, category, search: SearchResult | None) -> QuerySet:
    qs = product_visible_queryset(contract=contract)
    if category is not None:
        qs = qs.filter(category_id__in=category_descendant_ids(category=category))
    if search is not None:
        qs = qs.filter(id__in=id_list(search.product_ids))
    return qs


# Listing ------------------------------------------------------------------------------------------


@dataclass
class ProductRow:
    product: Product
    price: ResolvedPrice | None
    availability: Availability
    image: ProductImage | None


@dataclass
class ProductPage:
    rows: list[ProductRow]
    page: int
    per_page: int
    total: int  # at most COUNT_CAP
    total_capped: bool  # True: there may be more than ``total`` (a capped count, or a search's best matches)
    sort: str
    search: SearchResult | None = None

    @property
    def num_pages(self) -> int:
        return max(1, math.ceil(self.total / self.per_page))

    @property
    def has_next(self) -> bool:
        return self.page < self.num_pages

    @property
    def has_previous(self) -> bool:
        return self.page > 1

    @property
    def exact_product_id(self) -> int | None:
        """Set when the query was an exact article or barcode: the caller opens that card."""
        return self.search.exact_product_id if self.search else None


def _capped_count(qs: QuerySet) -> tuple[int, bool]:
    n = qs.order_by()[: COUNT_CAP + 1].count()
    return min(n, COUNT_CAP), n > COUNT_CAP


def _ordered(qs: QuerySet, *, sort: str, contract) -> QuerySet:
    if sort in ("price", "-price"):
        price_type = price_type_for(contract)
        base = Subquery(Price.objects.filter(product_id=OuterRef("pk"), price_type=price_type).values("price")[:1])
        if contract is not None:
            own = Subquery(
                ContractPrice.objects.filter(product_id=OuterRef("pk"), contract=contract).values("price")[:1]
            )
            qs = qs.annotate(sort_price=Coalesce(own, base))
        else:
            qs = qs.annotate(sort_price=base)
        key = F("sort_price").asc(nulls_last=True) if sort == "price" else F("sort_price").desc(nulls_last=True)
        return qs.order_by(key, "name", "id")
    if sort == "availability":
        return qs.annotate(sort_available=available_total_expression()).order_by("-sort_available", "name", "id")
    if sort == "newest":
        return qs.order_by("-id")
    return qs.order_by("name", "id")


def _rows(products: list[Product], *, contract) -> list[ProductRow]:
    ids = [p.pk for p in products]
    prices = prices_resolve(contract=contract, items=[(pk, 1) for pk in ids], one_order=False)
    stock = availability_for_products(product_ids=ids)
    first_image = {pid: gallery[0] for pid, gallery in _images(ids).items()}
    return [ProductRow(p, prices.get(p.pk), stock[p.pk], first_image.get(p.pk)) for p in products]


def _images(ids: list[int]) -> dict[int, list[ProductImage]]:
    """The gallery of each of these products, in its order."""
    images: dict[int, list[ProductImage]] = {}
    if ids:
        i = columns(ProductImage, "i")
        with connection.cursor() as cursor:
            cursor.execute(
                f"SELECT {i.sql} FROM {table(ProductImage)} i WHERE i.product_id IN ({placeholders(ids)}) "  # noqa: S608
                "ORDER BY i.product_id, i.sort_order, i.id",
                ids,
            )
            for image in map(i.read, cursor.fetchall()):
                images.setdefault(image.product_id, []).append(image)
    return images


LISTING_SORTS = {
    "name": ("name", "product_id"),
    "newest": ("-product_id",),
    "availability": ("-available", "name", "product_id"),
}


def _listed_category_ids(*, contract, category: Category | None) -> list[int] | None:
    """The categories whose listing rows (``CategoryProduct``) and listed attribute values make up a
    category page: the category and its whole subtree; ``None`` when they do not apply: no
    category, a "specification only" contract (its few products take the general path), or an
    inactive subcategory whose products the page must leave out. Both exist for active products
    only."""
    if category is None or spec_only_contract_id(contract) is not None:
        return None
    if any(not c.is_active for c in category_subtree(category=category)):
        return None
    return category_descendant_ids(category=category)


def _listed_products(category_ids: list[int], filters: dict, *, skip: int | None = None) -> QuerySet | None:
    """Ids of the listed products of these categories that have one of the chosen values of every
    filtered attribute but ``skip``; ``None`` when no such filter is chosen. Read from the
    (listed category, attribute, value, product) index alone: the values of a category's products
    lie together there, where a lookup per product reads one index page per product."""
    chosen = [
        ProductAttributeValue.objects.filter(
            listed_category_id__in=category_ids, attribute_id=attribute_id, value_key__in=values
        ).values("product_id")
        for attribute_id, values in filters.items()
        if attribute_id != skip
    ]
    if not chosen:
        return None
    matching = chosen[0]
    for other in chosen[1:]:  # side by side, not nested: 20 nested subqueries overflow SQLite's parser
        matching = matching.filter(product_id__in=other)
    return matching


def _walk(listing: QuerySet, *, sort: str, start: int, per_page: int) -> list[int]:
    """The ids of the page's products: listing rows of active products in ``LISTING_SORTS`` order."""
    rows = listing.filter(product__status=Product.Status.ACTIVE).order_by(*LISTING_SORTS[sort])
    return list(rows.values_list("product_id", flat=True)[start : start + per_page])


def _filtered_listing_page_ids(
    category_ids: list[int], matching: QuerySet, filters: dict, *, sort, start, per_page, total, capped
) -> list[int]:
    """The ids of a filtered category page's products (``category_ids``: the page's category and
    its subtree; ``matching``: the ids of the products with the chosen values, ``total`` of them
    counted up to ``COUNT_CAP``), in ``LISTING_SORTS`` order, found one of two ways:

    - *sorted*: the matches are sorted on their own, a product row read each (about 15 µs apiece
      on PostgreSQL at a million products, 5 on SQLite);
    - *walked*: the listing is read in order and each row's value looked up until the page is full
      (a few µs a row). Cheap where matches are dense, but where they are few or lie far from the
      start (their names all sorting last) it reads most of the category: 5.4 s in a million.

    The matches are sorted when there are fewer of them than a walk would read were they spread
    evenly: ``total² ≤ (start + per_page) × size``. Otherwise the walk reads the narrowest listing
    that holds them all (``_narrowest_category_id``), within its first ``WALK_ROWS`` rows, and gives
    way to sorting when the page is not full there, or goes on to the end when the matches are too
    many to sort (``capped``).
    """
    if not _sorting_is_cheaper(category_ids[0], total=total, reach=start + per_page):
        narrowest = _narrowest_category_id(category_ids, filters) if len(category_ids) > 1 else category_ids[0]
        listing = CategoryProduct.objects.filter(category_id=narrowest)
        walked = _listing_filtered(listing, filters)
        edge = None if capped else _walk_edge(listing, sort)
        ids = _walk(walked if edge is None else walked.filter(edge), sort=sort, start=start, per_page=per_page)
        if edge is None or len(ids) >= min(per_page, total - start):
            return ids
    return _sorted_matches(matching, sort=sort, start=start, per_page=per_page)


def _sorting_is_cheaper(category_id: int, *, total: int, reach: int) -> bool:
    """Whether ``total`` matches are fewer than a walk of the category's listing would read to the
    ``reach``-th of them were they spread evenly (its size counted up to ``COUNT_CAP``)."""
    if total * total > reach * COUNT_CAP:
        return False
    size = _capped_count(CategoryProduct.objects.filter(category_id=category_id))[0]
    return total * total <= reach * size


def _sorted_matches(matching: QuerySet, *, sort: str, start: int, per_page: int, contract=None) -> list[int]:
    """The page of the matching active products, sorted on their own (``_ordered``; by price the
    ``contract``'s, by availability their stock summed: a few thousand at most, as the sorting rule
    takes this way for few matches only)."""
    ids = id_list(matching.values_list("product_id", flat=True))  # as ids: the plan starts from them
    rows = _ordered(Product.objects.filter(id__in=ids, status=Product.Status.ACTIVE), sort=sort, contract=contract)
    return list(rows.values_list("id", flat=True)[start : start + per_page])


def _narrowest_category_id(category_ids: list[int], filters: dict) -> int:
    """The deepest of these categories (a page's subtree, its own first) whose listing holds every
    product with the chosen values: attributes belong to some categories only, so a value's products
    may all lie in one branch, and a walk of that branch's listing finds them without passing the
    rest (in name order the others come between). One index lookup per category and attribute."""
    with_values = Category.objects.filter(id__in=id_list(category_ids))
    for attribute_id, values in filters.items():
        # A scalar subquery, not EXISTS: PostgreSQL turns EXISTS into a join that reads every
        # product with the value (148,000 for a yes/no attribute); this is a lookup per category.
        value = ProductAttributeValue.objects.filter(
            listed_category_id=OuterRef("pk"), attribute_id=attribute_id, value_key__in=values
        )
        with_values = with_values.filter(IsNull(_first(value), False))
    paths = [path.strip("/").split("/") for path in with_values.values_list("path", flat=True)]
    common = []
    for parts in zip(*paths, strict=False):
        if len(set(parts)) > 1:
            break
        common.append(int(parts[0]))
    within = set(category_ids)
    inside = [pk for pk in common if pk in within]  # the path starts above the page's category
    return inside[-1] if inside else category_ids[0]


def _walk_edge(listing: QuerySet, sort: str) -> Q | None:
    """The first ``WALK_ROWS`` listing rows in ``sort`` order (and the ties of the last), as a
    condition; ``None`` when the listing has no more rows than that. Read from the index alone
    (no product rows)."""
    ordered = listing.order_by(*LISTING_SORTS[sort])
    last = list(ordered.values_list("product_id", "name", "available")[WALK_ROWS - 1 : WALK_ROWS])
    if not last:
        return None
    product_id, name, available = last[0]
    if sort == "newest":
        return Q(product_id__gte=product_id)
    if sort == "availability":
        return Q(available__gt=available) | Q(available=available, name__lte=name)
    return Q(name__lte=name)


def _price_walk_page_ids(
    category: Category, contract, *, matching: QuerySet | None = None, descending: bool, start: int, wanted: int
):
    """A broad category page sorted by price, read from the prices in their order: the price
    type's prices (``price_type_price`` index) of the category's listed products that have no
    contract price, merged with the contract's own prices (``contract_price_order``) of listed
    products; ties by product id. With filters, ``matching`` (``_listed_products``, 10,000+ of
    them) stands for the listed products. Sorting every product of a top-level category by price
    took 1.6 s for 83,000 products and 3.5 s for a million on SQLite.

    The prices are read in windows: the first ``PRICE_WINDOWS[0]`` prices of the type (a bound on
    the price), then more. A window holds about ``window × products / catalog size`` of the page's
    products; the first that fills the page gives it. ``None`` when none does, or when
    the page would reach the products without a price (listed last): the caller sorts instead.
    Each product is checked by a lookup (a scalar subquery, not EXISTS: PostgreSQL turns EXISTS
    into a hash of every listing row of the category, a million for the top one)."""
    price_type = price_type_for(contract)
    if price_type is None:
        return None
    order = ("-price", "-product_id") if descending else ("price", "product_id")
    by_type = Price.objects.filter(price_type=price_type)
    by_contract = ContractPrice.objects.filter(contract=contract)
    if matching is None:
        listed = CategoryProduct.objects.filter(category=category, product_id=OuterRef("product_id"))
    else:
        listed = matching.filter(product_id=OuterRef("product_id"))
    listed = IsNull(_first(listed), False)
    own = IsNull(_first(ContractPrice.objects.filter(contract=contract, product_id=OuterRef("product_id"))), True)
    for window in PRICE_WINDOWS:
        if window < start + wanted:
            continue
        # Each list's price at the window's end: up to the nearer of the two, both lists are whole.
        edges = [
            edge
            for prices in (by_type, by_contract)
            for edge in prices.order_by(*order).values_list("price", flat=True)[window - 1 : window]
        ]
        bound = {}
        if edges:
            bound = {"price__gte": max(edges)} if descending else {"price__lte": min(edges)}
        # Each list read in order up to the page's end, where it stops (a UNION would read the whole
        # window, 2,000 lookups for the first one, before sorting), and the two merged here.
        parts = (by_type.filter(listed, own, **bound), by_contract.filter(listed, **bound))
        merged = heapq.merge(
            *(part.order_by(*order).values_list("price", "product_id")[: start + wanted] for part in parts),
            reverse=descending,
        )
        ids = [pk for _price, pk in itertools.islice(merged, start, start + wanted)]
        if len(ids) == wanted:
            return ids
        if not edges:  # every price read
            return None
    return None


def _first(qs: QuerySet) -> Subquery:
    """The first row's id, or NULL: ``IsNull(_first(qs), False)`` tests for a row by one lookup."""
    return Subquery(qs.values("pk")[:1])


def product_list(
    *,
    contract,
    category: Category | None = None,
    query: str | None = None,
    filters: dict | None = None,
    sort: str | None = None,
    page: int = 1,
    per_page: int = 48,
) -> ProductPage:
    """One page of products ``contract`` may see, with their prices and availability.

    ``category`` includes its subcategories; ``query`` searches (see ``catalog.search``; its
    default order is relevance); ``filters`` is ``{attribute_id: [value, …]}`` (values as in
    the facets). ``sort``: name, price, -price, availability, newest, relevance; ``None`` or an
    unknown sort means relevance for a query and name otherwise; a page out of range means the
    nearest page.
    """
    filters = _filters_cleaned(filters)
    search = product_search(q=query, contract=contract) if query is not None and query.strip() else None
    if sort not in SORTS or (sort == "relevance" and search is None):
        sort = "relevance" if search is not None else "name"
    per_page = max(1, min(int(per_page or 48), MAX_PER_PAGE))
    try:
        page = max(1, int(page or 1))
    except (TypeError, ValueError):
        page = 1
    listed = _listed_category_ids(contract=contract, category=category) if search is None else None
    matching = _listed_products(listed, filters) if listed is not None else None
    # What counts a category page: its matches, else its listing rows (1 ms, where its products took 34).
    listing = CategoryProduct.objects.filter(category=category) if listed is not None else None
    counted = matching if matching is not None else listing
    if listed is not None and sort in LISTING_SORTS:
        total, capped = _capped_count(counted)
        page = min(page, max(1, math.ceil(total / per_page)))
        start = (page - 1) * per_page
        if matching is None:
            page_ids = _walk(listing, sort=sort, start=start, per_page=per_page)
        else:
            page_ids = _filtered_listing_page_ids(
                listed, matching, filters, sort=sort, start=start, per_page=per_page, total=total, capped=capped
            )
        products = _products_in_order(page_ids)
    elif sort == "relevance":
        ordered = search.product_ids  # visible products only: the search applies the same rule
        if category is not None or filters:
            qs = _apply_filters(_base(contract=contract, category=category, search=search), filters)
            matched = set(qs.values_list("id", flat=True))
            ordered = [pk for pk in ordered if pk in matched]
        total, capped = len(ordered), search.truncated
        page = min(page, max(1, math.ceil(total / per_page)))
        products = _products_in_order(ordered[(page - 1) * per_page : page * per_page])
    else:
        qs = _apply_filters(_base(contract=contract, category=category, search=search), filters)
        total, capped = _capped_count(qs if counted is None else counted)
        capped = capped or (search is not None and search.truncated)  # only the best matches are sorted
        page = min(page, max(1, math.ceil(total / per_page)))
        start = (page - 1) * per_page
        page_ids = None
        if listed is not None and sort in ("price", "-price"):
            if capped:  # 10,000+ products: their prices read in order
                page_ids = _price_walk_page_ids(
                    category,
                    contract,
                    matching=matching,
                    descending=sort == "-price",
                    start=start,
                    wanted=min(per_page, total - start),
                )
            elif matching is not None:  # the matches sorted alone, not every product of the category
                page_ids = _sorted_matches(matching, sort=sort, contract=contract, start=start, per_page=per_page)
        if page_ids is not None:
            products = _products_in_order(page_ids)
        else:
            products = list(
                _ordered(qs, sort=sort, contract=contract).select_related("unit", "brand")[start : start + per_page]
            )
    return ProductPage(
        rows=_rows(products, contract=contract),
        page=page,
        per_page=per_page,
        total=total,
        total_capped=capped,
        sort=sort,
        search=search,
    )


# Facets -------------------------------------------------------------------------------------------


@dataclass
class FacetValue:
    value: str
    count: int
    selected: bool


@dataclass
class Facet:
    attribute: Attribute
    values: list[FacetValue]


def _search_value_counts(ids: list[int]) -> list[tuple[int, str, int]]:
    """(attribute, value, products) of the filterable attributes of these products."""
    if not ids:
        return []
    subquery = id_list(ids)
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT v.attribute_id, v.value_key, COUNT(*) FROM {table(ProductAttributeValue)} v "  # noqa: S608
            f"WHERE v.product_id IN ({subquery.sql}) "
            f"AND v.attribute_id IN (SELECT a.id FROM {table(Attribute)} a WHERE a.is_filterable = %s) "
            "GROUP BY v.attribute_id, v.value_key",
            [*subquery.params, True],
        )
        return cursor.fetchall()


def _value_sort_key(attribute: Attribute, value: str):
    if attribute.kind == Attribute.Kind.NUMBER:
        try:
            return (0, float(value), value)
        except ValueError:
            return (1, 0.0, value)
    return (0, 0.0, value.lower())


def facets(
    *,
    contract,
    category: Category | None = None,
    query: str | None = None,
    filters: dict | None = None,
    search: SearchResult | None = None,
    result_size: int | None = None,
) -> list[Facet]:
    """Filter values with the number of products each would leave, for the current result.

    A value's count respects every other active filter but not its own attribute's (standard
    faceting: choosing a second value of the same attribute widens the result). Pass the
    ``search`` of a ``ProductPage`` to avoid searching twice. Returns [] for results broader than
    ``FACET_MAX_PRODUCTS``; ``result_size`` is the size of the unfiltered result when the caller
    has counted it already (a page's ``total`` without filters), to spare counting it again.
    """
    filters = _filters_cleaned(filters)
    if search is None and query is not None and query.strip():
        search = product_search(q=query, contract=contract)
    base = _base(contract=contract, category=category, search=search)
    listed = _listed_category_ids(contract=contract, category=category) if search is None else None
    if result_size is None:
        counted = base if listed is None else CategoryProduct.objects.filter(category=category)
        result_size = counted.order_by()[: FACET_MAX_PRODUCTS + 1].count()
    if result_size > FACET_MAX_PRODUCTS:
        return []
    counts: dict[int, dict[str, int]] = defaultdict(dict)
    pav = ProductAttributeValue.objects.filter(attribute__is_filterable=True)

    def values_of_result(*, skip: int | None = None) -> QuerySet:
        """The value rows of the products that pass every filter but ``skip``'s."""
        if listed is None:
            return pav.filter(product_id__in=_apply_filters(base, filters, skip=skip).values("id"))
        rows = pav.filter(listed_category_id__in=listed)
        matching = _listed_products(listed, filters, skip=skip)
        return rows if matching is None else rows.filter(product_id__in=matching)

    # Attributes without an active filter: one grouped query over the fully filtered result — for a
    # search without filters or category, straight over its ids (visible products already: the search
    # applies the rule), from the covering index alone.
    if search is not None and category is None and not filters:
        grouped = _search_value_counts(search.product_ids)
    else:
        grouped = (
            values_of_result()
            .exclude(attribute_id__in=list(filters))
            .values_list("attribute_id", "value_key")
            .annotate(n=Count("product_id"))
            .order_by()
        )
    for attribute_id, value, n in grouped:
        counts[attribute_id][value] = n
    # Each filtered attribute: counted over the result of the other filters.
    for attribute_id in filters:
        for value, n in (
            values_of_result(skip=attribute_id)
            .filter(attribute_id=attribute_id)
            .values_list("value_key")
            .annotate(n=Count("product_id"))
            .order_by()
        ):
            counts[attribute_id][value] = n
        for value in filters[attribute_id]:
            counts[attribute_id].setdefault(value, 0)
    attributes = Attribute.objects.in_bulk(list(counts))
    result = []
    for attribute in sorted(attributes.values(), key=lambda a: (a.sort_order, a.name)):
        selected = set(filters.get(attribute.pk, ()))
        values = [
            FacetValue(value, n, value in selected)
            for value, n in sorted(counts[attribute.pk].items(), key=lambda kv: _value_sort_key(attribute, kv[0]))
        ]
        result.append(Facet(attribute, values))
    return result


# Card ---------------------------------------------------------------------------------------------


@dataclass
class ProductCard:
    product: Product
    price: ResolvedPrice | None
    availability: Availability
    breadcrumbs: list[Category]
    images: list[ProductImage]
    attributes: list[tuple[Attribute, str]]  # (attribute, display value)
    barcodes: list[str]
    related: list[Product]  # the first ``RELATIONS_ON_CARD`` by name
    analogs: list[Product]
    related_total: int = 0  # all the visible ones
    analogs_total: int = 0


def _display_value(attribute: Attribute, value: str) -> str:
    if attribute.kind == Attribute.Kind.BOOLEAN:
        return gettext("yes") if value == "1" else gettext("no")
    return f"{value} {attribute.unit}".strip() if attribute.unit else value


def product_card(
    *, contract, product_id: int | None = None, article: str | None = None, quantity=1
) -> ProductCard | None:
    """Everything the product page shows of the product with this id or this exact article, or
    ``None`` when ``contract`` may not see it (archived, unknown, or outside a "specification only"
    contract's specification)."""
    product = _card_product(contract=contract, product_id=product_id, article=article)
    if product is None:
        return None
    relations = _relation_ids(contract=contract, product_id=product.pk)
    related_ids = relations.get(ProductRelation.Kind.RELATED, [])
    analog_ids = relations.get(ProductRelation.Kind.ANALOG, [])
    by_id = _products_by_id([*related_ids[:RELATIONS_ON_CARD], *analog_ids[:RELATIONS_ON_CARD]])
    a = columns(Attribute, "a")
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT {a.sql}, v.value_key FROM {table(ProductAttributeValue)} v "  # noqa: S608
            f"JOIN {table(Attribute)} a ON a.id = v.attribute_id WHERE v.product_id = %s ORDER BY a.sort_order, a.name",
            [product.pk],
        )
        attributes = []
        for row in cursor.fetchall():
            attribute = a.read(row)
            attributes.append((attribute, _display_value(attribute, row[-1])))
        cursor.execute(f"SELECT code FROM {table(Barcode)} WHERE product_id = %s ORDER BY id", [product.pk])  # noqa: S608
        barcodes = [r[0] for r in cursor.fetchall()]
    return ProductCard(
        product=product,
        price=prices_resolve(contract=contract, items=[(product.pk, quantity)], one_order=False).get(product.pk),
        availability=availability_for_products(product_ids=[product.pk], per_warehouse=True)[product.pk],
        breadcrumbs=category_breadcrumbs(category=product.category),
        images=_images([product.pk]).get(product.pk, []),
        attributes=attributes,
        barcodes=barcodes,
        related=[by_id[pk] for pk in related_ids[:RELATIONS_ON_CARD] if pk in by_id],
        analogs=[by_id[pk] for pk in analog_ids[:RELATIONS_ON_CARD] if pk in by_id],
        related_total=len(related_ids),
        analogs_total=len(analog_ids),
    )


# The card is the most visited page: its reads are plain SQL (the ORM spent 5-6 ms of CPU building
# them, running them takes under one), with the visibility rule in its SQL form.


def _card_product(*, contract, product_id: int | None, article: str | None) -> Product | None:
    """The visible product with its unit, brand, category and VAT rate; an article is matched
    exactly (none is longer than 64 characters)."""
    if article is not None and not 0 < len(article) <= 64:
        return None
    listed, c, v = _listed_columns(), columns(Category, "c"), columns(VatRate, "v")
    visible, params = product_visible_sql(contract=contract, alias="p")
    lookup, value = ("p.id", product_id) if article is None else ("p.article", article)
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT {listed.sql}, {c.sql}, {v.sql} FROM {table(Product)} p {listed.joins} "  # noqa: S608
            f"JOIN {table(Category)} c ON c.id = p.category_id JOIN {table(VatRate)} v ON v.id = p.vat_rate_id "
            f"WHERE {lookup} = %s AND {visible}",
            [value, *params],
        )
        row = cursor.fetchone()
    if row is None:
        return None
    product, start = listed.read(row), len(listed)
    product.category, product.vat_rate = c.read(row, start), v.read(row, start + len(c))
    return product


def _relation_ids(*, contract, product_id: int, kind: str | None = None) -> dict[str, list[int]]:
    """``kind → ids`` of the product's visible analogs and related products, by name."""
    visible, params = product_visible_sql(contract=contract, alias="p")
    if kind is not None:
        visible, params = f"r.kind = %s AND {visible}", [kind, *params]
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT r.kind, r.related_id FROM {table(ProductRelation)} r "  # noqa: S608
            f"JOIN {table(Product)} p ON p.id = r.related_id WHERE r.product_id = %s AND {visible} "
            "ORDER BY r.kind, p.name, p.id",
            [product_id, *params],
        )
        ids: dict[str, list[int]] = {}
        for row_kind, pk in cursor.fetchall():
            ids.setdefault(row_kind, []).append(pk)
    return ids


def _relation_rows(ids: list[int], *, contract) -> list[ProductRow]:
    """The first ``RELATIONS_MAX`` of these related products (visible ones, in order) as listing rows."""
    by_id = _products_by_id(ids[:RELATIONS_MAX])
    return _rows([by_id[pk] for pk in ids[:RELATIONS_MAX] if pk in by_id], contract=contract)


def product_relations(*, contract, article: str, kind: str) -> tuple[Product, list[ProductRow], int] | None:
    """The product with this exact article, the visible products related to it as ``kind`` (the
    first ``RELATIONS_MAX`` by name) as listing rows, and how many there are in all; ``None`` when
    ``contract`` may not see the product or the kind is unknown."""
    if kind not in ProductRelation.Kind.values:
        return None
    product = _card_product(contract=contract, product_id=None, article=article)
    if product is None:
        return None
    ids = _relation_ids(contract=contract, product_id=product.pk, kind=kind).get(kind, [])
    return product, _relation_rows(ids, contract=contract), len(ids)


@dataclass
class DiscontinuedProduct:
    product: Product  # archived, with its category
    analogs: list[ProductRow]  # the visible analogs, the first ``RELATIONS_MAX`` by name
    analogs_total: int


def product_discontinued(*, contract, article: str) -> DiscontinuedProduct | None:
    """The archived product with this exact article and its visible analogs, to order instead;
    ``None`` when there is none ``contract`` would see were it active (see
    ``visibility.product_discontinued_queryset``)."""
    if not 0 < len(article) <= 64:
        return None
    product = (
        product_discontinued_queryset(contract=contract).select_related("category").filter(article=article).first()
    )
    if product is None:
        return None
    ids = product_analog_ids(contract=contract, product_id=product.pk)
    return DiscontinuedProduct(product=product, analogs=_relation_rows(ids, contract=contract), analogs_total=len(ids))


def product_analog_ids(*, contract, product_id: int) -> list[int]:
    """The ids of the product's analogs ``contract`` may see, by name (any product: a quick order
    offers them for a line whose product is no longer sold)."""
    kind = ProductRelation.Kind.ANALOG
    return _relation_ids(contract=contract, product_id=product_id, kind=kind).get(kind, [])


def product_card_rows(*, contract, card: ProductCard) -> list[ProductRow]:
    """The card's analogs and related products as listing rows (prices and stock included),
    without reading the relations again."""
    products = list({p.pk: p for p in (*card.analogs, *card.related)}.values())
    return _rows(products, contract=contract)
