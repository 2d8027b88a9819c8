"""What both backends share: which products a search may return, how many are ranked, and the
order in which the words of a query are tried."""

from collections.abc import Callable

# Both backends rank the first this many matches of a query (in the index's order) and return the
# best of them: a broad word ("саморез" in a million products) stays fast, and a query with fewer
# matches is ranked whole.
RANK_CANDIDATES = 2_000

ACTIVE_SQL = "p.status = 'active'"
SPEC_ONLY_SQL = " AND p.id IN (SELECT product_id FROM pricing_specificationitem WHERE contract_id = %s)"


def visible_sql(spec_contract_id: int | None) -> tuple[str, list]:
    """A WHERE fragment over ``catalog_product p``: active, and in the specification when asked."""
    if spec_contract_id is None:
        return ACTIVE_SQL, []
    return ACTIVE_SQL + SPEC_ONLY_SQL, [spec_contract_id]


def staged_ids(n_words: int, matches: Callable[[int], list[int]], *, limit: int) -> list[int]:
    """Ids found by ``matches(prefix_from)`` (every word must match; from word ``prefix_from`` on
    also as a prefix): whole words first, then the last word as a prefix, then every word — each
    step only while the result is short of ``limit``. Prefixes are the expensive case (every word
    they start is collected), and a query of whole words rarely needs them."""
    if not n_words:
        return []
    ids: list[int] = []
    for prefix_from in dict.fromkeys((n_words, n_words - 1, 0)):
        seen = set(ids)
        ids += [pk for pk in matches(prefix_from) if pk not in seen]
        if len(ids) >= limit:
            break
    return ids[:limit]
