"""Product search behind one interface; the backend follows the database vendor.

Order of matching: an exact article or barcode (the caller opens the card), the exact article of
a product no longer sold (the caller opens its page, which offers its analogs), article prefixes,
then full text on name, brand and description with Russian stemming, and, when nothing matched,
articles similar to the query (a typo). Any text is safe: operators and quotes of the full-text
syntaxes are never passed through, and long queries are cut.
"""

from dataclasses import dataclass, field

from django.db import connection

from optovik.catalog.models import Barcode, Product
from optovik.catalog.visibility import (
    product_discontinued_queryset,
    product_visible_q,
    product_visible_queryset,
    spec_only_contract_id,
)

from . import postgres, sqlite
from .text import html_to_text, normalize_query

SEARCH_LIMIT = 500
PREFIX_LIMIT = 50
MIN_TEXT_CHARS = 2
SHORT_PREFIX = 4


def backend():
    return postgres if connection.vendor == "postgresql" else sqlite


@dataclass
class SearchResult:
    query: str
    product_ids: list[int] = field(default_factory=list)
    exact_product_id: int | None = None
    exact_kind: str = ""  # "article" or "barcode" when exact_product_id is set
    typo: bool = False  # the ids are articles similar to the query, not matches
    truncated: bool = False  # more products matched than ``product_ids`` holds (the best of them)
    discontinued_article: str = ""  # the query is the exact article of a product no longer sold

    @property
    def is_exact(self) -> bool:
        return self.exact_product_id is not None


@dataclass
class Suggestion:
    product_id: int
    article: str
    name: str


def _article_forms(q: str) -> list[str]:
    """The query as typed and in capitals: articles are matched in both (most are upper case)."""
    return list(dict.fromkeys((q, q.upper())))


def _article_upper_bound(prefix: str) -> str:
    return prefix + "\U0010ffff"


def _article_prefix_ids(visible, q: str, limit: int) -> list[int]:
    ids: list[int] = []
    for prefix in _article_forms(q):
        qs = visible.filter(article__gte=prefix, article__lt=_article_upper_bound(prefix)).order_by("article")
        ids.extend(pk for pk in qs.values_list("id", flat=True)[:limit] if pk not in ids)
    return ids[:limit]


def _exact(visible, q: str, contract) -> tuple[int | None, str]:
    hit = visible.filter(article__in=_article_forms(q)).values_list("id", flat=True).first()
    if hit is not None:
        return hit, "article"
    if q.isalnum() and len(q) >= 6:
        hit = (
            Barcode.objects.filter(product_visible_q(contract=contract, prefix="product__"), code=q)
            .values_list("product_id", flat=True)
            .first()
        )
        if hit is not None:
            return hit, "barcode"
    return None, ""


def product_search(*, q, contract, limit: int | None = None) -> SearchResult:
    """Finds the products ``contract`` may see, best first (at most ``limit`` ids, by default
    ``SEARCH_LIMIT``; ``truncated`` when more matched)."""
    limit = limit or SEARCH_LIMIT
    q = normalize_query(q)
    result = SearchResult(query=q)
    if not q:
        return result
    visible = product_visible_queryset(contract=contract)
    exact_id, kind = _exact(visible, q, contract)
    if exact_id is not None:
        result.exact_product_id, result.exact_kind, result.product_ids = exact_id, kind, [exact_id]
        return result
    gone = (
        product_discontinued_queryset(contract=contract)
        .filter(article__in=_article_forms(q))
        .values_list("article")
        .first()
    )
    if gone is not None:  # the caller opens its page: no longer sold, and its analogs
        result.discontinued_article = gone[0]
        return result
    spec_id = spec_only_contract_id(contract)
    ids = _article_prefix_ids(visible, q, PREFIX_LIMIT) if " " not in q else []
    if len(q) >= MIN_TEXT_CHARS:
        seen = set(ids)
        # One more than wanted tells whether there are more.
        ids += [pk for pk in backend().text_ids(q, spec_contract_id=spec_id, limit=limit + 1) if pk not in seen]
    if not ids:
        ids = backend().article_similar_ids(q, spec_contract_id=spec_id, limit=20)
        result.typo = bool(ids)
    result.truncated = len(ids) > limit
    result.product_ids = ids[:limit]
    return result


def search_suggest(q, contract, limit: int = 10) -> list[Suggestion]:
    """Up to ``limit`` products for the search box while the user types: articles first."""
    q = normalize_query(q)
    if not q:
        return []
    visible = product_visible_queryset(contract=contract)
    ids = _article_prefix_ids(visible, q, limit) if " " not in q else []
    if len(ids) < limit and len(q) >= MIN_TEXT_CHARS:
        seen = set(ids)
        # Ranking a short prefix would score a large part of the catalog: take the first matches.
        more = backend().text_ids(
            q, spec_contract_id=spec_only_contract_id(contract), limit=limit, ranked=len(q) > SHORT_PREFIX
        )
        ids += [pk for pk in more if pk not in seen]
    ids = ids[:limit]
    rows = {
        pk: (article, name)
        for pk, article, name in Product.objects.filter(id__in=ids).values_list("id", "article", "name")
    }
    return [Suggestion(pk, *rows[pk]) for pk in ids if pk in rows]


def _index_rows(product_ids):
    qs = Product.objects.filter(id__in=product_ids).values_list("id", "article", "name", "brand__name", "description")
    return [
        {"id": pk, "article": article, "name": name, "brand": brand, "text": html_to_text(description)}
        for pk, article, name, brand, description in qs
    ]


def search_index_update(*, product_ids) -> None:
    """Brings the index of these products up to date (call after writing them)."""
    product_ids = list(product_ids)
    be = backend()
    if be is postgres:
        return
    for start in range(0, len(product_ids), sqlite.BATCH):
        batch = product_ids[start : start + sqlite.BATCH]
        rows = _index_rows(batch)
        be.index_delete(set(batch) - {r["id"] for r in rows})
        be.index_update(rows)


def search_index_rebuild(*, batch_size: int = 5000) -> int:
    """Rebuilds the whole index in batches; returns the number of products indexed."""
    be = backend()
    be.index_clear()
    total = 0
    if be is sqlite:
        last = 0
        while True:
            ids = list(Product.objects.filter(id__gt=last).order_by("id").values_list("id", flat=True)[:batch_size])
            if not ids:
                break
            rows = _index_rows(ids)
            sqlite.index_update_fresh(rows)
            total += len(rows)
            last = ids[-1]
    be.index_optimize()
    return total
