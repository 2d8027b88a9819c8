"""PostgreSQL backend: a generated tsvector column (``russian``) and a pg_trgm index on the
article (see migration 0002_search_index); the database keeps both in step with the products."""

import difflib

from django.db import connection

from .common import RANK_CANDIDATES, staged_ids, visible_sql
from .text import query_terms


def tsquery(words: list[str], *, prefix_from: int = 0) -> str:
    """A ``to_tsquery`` text in which every word is a quoted lexeme joined by AND — a prefix
    (``:*``) from word ``prefix_from`` on: no operator the user typed reaches the parser."""
    parts = []
    for i, word in enumerate(words):
        parts.append("'" + word.replace("'", "''").replace("\\", "") + "'" + (":*" if i >= prefix_from else ""))
    return " & ".join(parts)


def _matches(expr: str, *, spec_contract_id: int | None, limit: int, ranked: bool) -> list[int]:
    visible, params = visible_sql(spec_contract_id)
    order = "ORDER BY ts_rank(m.search_vector, m.query) DESC, m.id" if ranked else ""
    sql = (
        "SELECT m.id FROM (SELECT p.id, p.search_vector, query FROM catalog_product p, "  # noqa: S608
        f"to_tsquery('russian', %s) query WHERE p.search_vector @@ query AND {visible} LIMIT %s) m {order} LIMIT %s"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [expr, *params, RANK_CANDIDATES, limit])
        return [row[0] for row in cursor.fetchall()]


def text_ids(q: str, *, spec_contract_id: int | None, limit: int, ranked: bool = True) -> list[int]:
    """Products matching every word (Russian stemming), best first, in the steps of
    ``staged_ids`` (a prefix over a million products makes PostgreSQL collect every lexeme it
    starts). Ranking looks at the first ``RANK_CANDIDATES`` matches of a step, so a broad query
    stays fast."""
    words = [word for word, _stem in query_terms(q)]
    return staged_ids(
        len(words),
        lambda prefix_from: _matches(
            tsquery(words, prefix_from=prefix_from), spec_contract_id=spec_contract_id, limit=limit, ranked=ranked
        ),
        limit=limit,
    )


def article_similar_ids(q: str, *, spec_contract_id: int | None, limit: int) -> list[int]:
    needle = q.strip()
    if len(needle) < 3:
        return []
    visible, params = visible_sql(spec_contract_id)
    sql = (
        "SELECT p.id, p.article FROM catalog_product p WHERE p.article %% %s AND "  # noqa: S608
        f"{visible} ORDER BY similarity(p.article, %s) DESC, p.id LIMIT 200"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [needle, *params, needle])
        rows = cursor.fetchall()
    low = needle.lower()
    scored = [(difflib.SequenceMatcher(None, low, article.lower()).ratio(), pk) for pk, article in rows]
    return [pk for score, pk in sorted(scored, key=lambda x: (-x[0], x[1])) if score >= 0.6][:limit]


def index_update(products) -> None:
    """Nothing to do: the generated column follows the row."""


def index_delete(product_ids) -> None:
    """Nothing to do: the generated column goes with the row."""


def index_clear() -> None:
    """Nothing to do."""


def index_optimize() -> None:
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE catalog_product")
