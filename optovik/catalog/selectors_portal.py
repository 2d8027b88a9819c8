"""Small reads the customer pages need besides ``selectors``: categories addressed by their slug
path (``/catalog/tools/drills/``); a product is addressed by its article through
``selectors.product_card``. Visibility comes from ``product_visible_queryset`` like everywhere else."""

from django.db.models import Q

from .models import Category
from .selectors import category_descendant_ids
from .visibility import product_visible_queryset, spec_only_contract_id


def category_segment(category: Category) -> str:
    """The part of a category's address that names it: its slug, or its id when it has none."""
    return category.slug or str(category.pk)


def category_path(*, breadcrumbs: list[Category]) -> str:
    """The address path of the last category of ``breadcrumbs`` (root → category)."""
    return "/".join(category_segment(c) for c in breadcrumbs)


def category_by_path(*, path: str) -> Category | None:
    """The active category at ``path`` (segments joined by "/", root first), or ``None``."""
    segments = [s for s in (path or "").strip("/").split("/") if s][:20]
    if not segments:
        return None
    numeric = [int(s) for s in segments if s.isdigit() and len(s) < 12]
    candidates = list(
        Category.objects.filter(is_active=True, depth__lt=len(segments)).filter(
            Q(slug__in=segments) | Q(pk__in=numeric, slug="")
        )
    )
    parent_id = None
    found = None
    chain = []
    for depth, segment in enumerate(segments):
        found = next(
            (
                c
                for c in sorted(candidates, key=lambda c: (c.sort_order, c.pk))
                if c.depth == depth and c.parent_id == parent_id and category_segment(c) == segment
            ),
            None,
        )
        if found is None:
            return None
        chain.append(found)
        parent_id = found.pk
    found._breadcrumbs = chain  # the breadcrumbs, read on the way (see ``category_breadcrumbs``)
    return found


def category_visible(*, contract, category: Category) -> bool:
    """Whether ``contract`` may open the category: always, unless it sees only its specification
    and the category holds none of those products."""
    if spec_only_contract_id(contract) is None:
        return True
    ids = category_descendant_ids(category=category)
    return product_visible_queryset(contract=contract).filter(category_id__in=ids).exists()
