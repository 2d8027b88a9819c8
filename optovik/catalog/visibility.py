"""Which products a contract may see: the one rule every list, facet, search and card applies."""

from django.db.models import Q, QuerySet

from optovik.core.rawsql import table
from optovik.pricing.models import SpecificationItem

from .models import Product


def spec_only_contract_id(contract) -> int | None:
    """The contract's id when its users see only its specification, else ``None``."""
    return contract.pk if contract is not None and contract.specification_only else None


def product_visible_q(*, contract, prefix: str = "") -> Q:
    """The visibility rule as a condition on a product reached through ``prefix`` ("" for
    ``Product`` itself, "related__" for a relation's other end, …). A join, never a subquery over
    all products."""
    condition = Q(**{f"{prefix}status": Product.Status.ACTIVE})
    spec_id = spec_only_contract_id(contract)
    if spec_id is not None:
        spec = SpecificationItem.objects.filter(contract_id=spec_id).values("product_id")
        condition &= Q(**{f"{prefix}id__in" if prefix else "id__in": spec})
    return condition


def product_visible_queryset(*, contract) -> QuerySet[Product]:
    """Active products; for a "specification only" contract, only the products of its specification."""
    return Product.objects.filter(product_visible_q(contract=contract))


def product_discontinued_queryset(*, contract) -> QuerySet[Product]:
    """Archived products the contract would see were they active (for a "specification only"
    contract, those of its specification). A buyer who meets one — in an old order, a saved list, an
    article typed from memory — is told it is no longer sold and shown its analogs, not "not found"."""
    qs = Product.objects.filter(status=Product.Status.ARCHIVED)
    spec_id = spec_only_contract_id(contract)
    if spec_id is not None:
        qs = qs.filter(id__in=SpecificationItem.objects.filter(contract_id=spec_id).values("product_id"))
    return qs


def product_visible_sql(*, contract, alias: str) -> tuple[str, list]:
    """The same rule as a condition on the product table under ``alias`` in raw SQL, with its
    parameters, for the reads that bypass the ORM (the product card)."""
    sql, params = f"{alias}.status = %s", [Product.Status.ACTIVE.value]
    spec_id = spec_only_contract_id(contract)
    if spec_id is not None:
        sql += f" AND {alias}.id IN (SELECT product_id FROM {table(SpecificationItem)} WHERE contract_id = %s)"  # noqa: S608
        params.append(spec_id)
    return sql, params
