"""What each role inside a client company may do. One table, checked by one mechanism
(``optovik.portal.access``) for every portal view."""

from enum import StrEnum

from .models import Role


class Perm(StrEnum):
    VIEW_CATALOG = "view_catalog"
    PLACE_ORDERS = "place_orders"
    VIEW_ORDERS = "view_orders"
    VIEW_DOCUMENTS = "view_documents"
    VIEW_FINANCE = "view_finance"
    MANAGE_ADDRESSES = "manage_addresses"
    MANAGE_USERS = "manage_users"
    MANAGE_COMPANY = "manage_company"


ROLE_PERMISSIONS: dict[str, frozenset[Perm]] = {
    Role.ADMIN: frozenset(Perm),
    Role.PURCHASER: frozenset(
        {Perm.VIEW_CATALOG, Perm.PLACE_ORDERS, Perm.VIEW_ORDERS, Perm.VIEW_DOCUMENTS, Perm.MANAGE_ADDRESSES}
    ),
    Role.ACCOUNTANT: frozenset({Perm.VIEW_CATALOG, Perm.VIEW_ORDERS, Perm.VIEW_DOCUMENTS, Perm.VIEW_FINANCE}),
}


def permissions_for(role: str, *, can_place_orders: bool = False) -> frozenset[Perm]:
    """The role's permissions; ``can_place_orders`` adds ordering (an accountant who also buys)."""
    perms = ROLE_PERMISSIONS.get(role, frozenset())
    if can_place_orders:
        perms = perms | {Perm.PLACE_ORDERS}
    return perms
