"""SQL shared by both backends: which products a search may return, and how many are ranked."""

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
