"""SQLite backend: FTS5 tables filled by the application (see migration 0002_search_index)."""

import difflib

from django.db import connection

from .common import RANK_CANDIDATES, staged_ids, visible_sql
from .text import query_terms, stemmed_text

FTS = "catalog_product_fts"
TRGM = "catalog_article_trgm"
BATCH = 5000


def _quote(term: str) -> str:
    """An FTS5 string literal: whatever it holds is a phrase, never an operator."""
    return '"' + term.replace('"', '""') + '"'


def match_expression(terms: list[tuple[str, str]], *, prefix_from: int = 0) -> str:
    """Every word must match, as its stem or as typed; from word ``prefix_from`` on also as a prefix
    (``*``: the last word may still be being typed)."""
    parts = []
    for i, (word, stem) in enumerate(terms):
        star = " *" if i >= prefix_from else ""
        options = {_quote(stem) + star, _quote(word) + star}
        parts.append("(" + " OR ".join(sorted(options)) + ")")
    return " AND ".join(parts)


def _matches(expr: str, *, spec_contract_id: int | None, limit: int, ranked: bool) -> list[int]:
    """One FTS5 query. For an ordinary contract the index scores its first ``RANK_CANDIDATES``
    matches (all of them when there are fewer) and the best are kept; a "specification only"
    contract joins first, its specification being small."""
    visible, params = visible_sql(spec_contract_id)
    if spec_contract_id is None:
        candidates = RANK_CANDIDATES if ranked else limit + limit // 10 + 10  # archived ones drop out below
        sql = (
            f"SELECT p.id FROM (SELECT rowid AS id, bm25({FTS}, 10.0, 1.0) AS score FROM {FTS} "  # noqa: S608
            f"WHERE {FTS} MATCH %s LIMIT %s) m JOIN catalog_product p ON p.id = m.id "
            f"WHERE {visible} {'ORDER BY m.score' if ranked else ''} LIMIT %s"
        )
        args = [expr, candidates, *params, limit]
    else:
        order = f"ORDER BY bm25({FTS}, 10.0, 1.0)" if ranked else ""
        sql = (
            f"SELECT p.id FROM {FTS} JOIN catalog_product p ON p.id = {FTS}.rowid "  # noqa: S608 - constants only
            f"WHERE {FTS} MATCH %s AND {visible} {order} LIMIT %s"
        )
        args = [expr, *params, limit]
    with connection.cursor() as cursor:
        cursor.execute(sql, args)
        return [row[0] for row in cursor.fetchall()]


def text_ids(q: str, *, spec_contract_id: int | None, limit: int, ranked: bool = True) -> list[int]:
    """Products matching every word (its stem or as typed), best first (bm25, the name weighing
    most), in the steps of ``staged_ids`` as on PostgreSQL: prefixes make FTS5 merge the lists of
    every word they start (two prefixed words cost 19-30 ms at a million products, the same words
    whole 10-17 ms). Ranking scores the first ``RANK_CANDIDATES`` matches of a step (25-43 ms for
    every match of a broad word, 5-14 ms for the first 2,000)."""
    terms = query_terms(q)
    return staged_ids(
        len(terms),
        lambda prefix_from: _matches(
            match_expression(terms, prefix_from=prefix_from),
            spec_contract_id=spec_contract_id,
            limit=limit,
            ranked=ranked,
        ),
        limit=limit,
    )


def article_similar_ids(q: str, *, spec_contract_id: int | None, limit: int) -> list[int]:
    """Articles that share most trigrams with ``q``, best first (typo tolerance)."""
    needle = q.strip().lower()
    grams = sorted({needle[i : i + 3] for i in range(len(needle) - 2)})
    if not grams:
        return []
    expr = " OR ".join(_quote(g) for g in grams)
    visible, params = visible_sql(spec_contract_id)
    sql = (
        f"SELECT p.id, p.article FROM (SELECT rowid AS id FROM {TRGM} WHERE {TRGM} MATCH %s "  # noqa: S608
        f"ORDER BY rank LIMIT 200) t JOIN catalog_product p ON p.id = t.id WHERE {visible}"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [expr, *params])
        rows = cursor.fetchall()
    scored = [(difflib.SequenceMatcher(None, needle, article.lower()).ratio(), pk) for pk, article in rows]
    return [pk for score, pk in sorted(scored, key=lambda x: (-x[0], x[1])) if score >= 0.6][:limit]


def index_update(products) -> None:
    """Writes the index rows of ``products`` (dicts or objects with id, article, name, brand
    name, description), replacing old ones."""
    rows, trgm = [], []
    for p in products:
        rows.append((p["id"], stemmed_text(f"{p['name']} {p.get('brand') or ''}"), stemmed_text(p["text"])))
        trgm.append((p["id"], p["article"]))
    if not rows:
        return
    ids = [(r[0],) for r in rows]
    with connection.cursor() as cursor:
        cursor.executemany(f"DELETE FROM {FTS} WHERE rowid = %s", ids)  # noqa: S608
        cursor.executemany(f"DELETE FROM {TRGM} WHERE rowid = %s", ids)  # noqa: S608
        cursor.executemany(f"INSERT INTO {FTS} (rowid, name, body) VALUES (%s, %s, %s)", rows)  # noqa: S608
        cursor.executemany(f"INSERT INTO {TRGM} (rowid, article) VALUES (%s, %s)", trgm)  # noqa: S608


def index_update_fresh(products) -> None:
    """Inserts index rows for products that have none yet (bulk paths, after ``index_clear``)."""
    with connection.cursor() as cursor:
        cursor.executemany(
            f"INSERT INTO {FTS} (rowid, name, body) VALUES (%s, %s, %s)",  # noqa: S608
            [(p["id"], stemmed_text(f"{p['name']} {p.get('brand') or ''}"), stemmed_text(p["text"])) for p in products],
        )
        cursor.executemany(
            f"INSERT INTO {TRGM} (rowid, article) VALUES (%s, %s)",  # noqa: S608
            [(p["id"], p["article"]) for p in products],
        )


def index_delete(product_ids) -> None:
    ids = [(pk,) for pk in product_ids]
    with connection.cursor() as cursor:
        cursor.executemany(f"DELETE FROM {FTS} WHERE rowid = %s", ids)  # noqa: S608
        cursor.executemany(f"DELETE FROM {TRGM} WHERE rowid = %s", ids)  # noqa: S608


def index_clear() -> None:
    with connection.cursor() as cursor:
        cursor.execute(f"DELETE FROM {FTS}")  # noqa: S608
        cursor.execute(f"DELETE FROM {TRGM}")  # noqa: S608


def index_optimize() -> None:
    with connection.cursor() as cursor:
        cursor.execute(f"INSERT INTO {FTS} ({FTS}) VALUES ('optimize')")  # noqa: S608
        cursor.execute(f"INSERT INTO {TRGM} ({TRGM}) VALUES ('optimize')")  # noqa: S608
