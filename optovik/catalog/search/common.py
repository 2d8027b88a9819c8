"""SQL shared by both backends: which products a search may return."""

ACTIVE_SQL = "p.status = 'active'"
SPEC_ONLY_SQL = " AND p.id IN (SELECT product_id FROM pricing_specificationitem WHERE contract_id = %s)"


def visible_sql(spec_contract_id: int | None) -> tuple[str, list]:
    """A WHERE fragment over ``catalog_product p``: active, and in the specification when asked."""
    if spec_contract_id is None:
        return ACTIVE_SQL, []
    return ACTIVE_SQL + SPEC_ONLY_SQL, [spec_contract_id]
