"""Reads of the customer side. Selectors that resolve a scope run outside it on purpose."""

import functools
from dataclasses import dataclass

from django.db import connection
from django.db.models import QuerySet
from django.utils import timezone
from django_scopes import scopes_disabled

from optovik.core.rawsql import Columns, placeholders, table

from .models import Client, Contract, DeliveryAddress, Invitation, LegalEntity, Membership


@dataclass
class MemberTenancy:
    """What a member acts within: their membership (with its client and the client's manager), the
    legal entities they may act for, and the usable contracts of each of those."""

    membership: Membership
    legal_entities: list[LegalEntity]
    contracts: dict[int, list[Contract]]  # legal entity id: contracts, newest first


@functools.cache
def _tenancy_columns() -> dict[str, Columns]:
    client_manager = Client._meta.get_field("manager").related_model
    seller = Contract._meta.get_field("seller").related_model
    price_type = Contract._meta.get_field("price_type").related_model
    return {
        "m": Columns(Membership, "m"),
        "c": Columns(Client, "c"),
        "u": Columns(client_manager, "u"),
        "le": Columns(LegalEntity, "le"),
        "k": Columns(Contract, "k"),
        "s": Columns(seller, "s"),
        "p": Columns(price_type, "p"),
    }


def member_tenancy(*, user) -> MemberTenancy | None:
    """The user's active membership — in an active client if they have one — with what it may act
    within, or None (the account is not linked). A member limited to some legal entities acts for
    those of them that are active, otherwise for every active legal entity of the client; a usable
    contract is active and valid today.

    Every portal request reads this, so it is three plain queries instead of five through the ORM:
    building those cost 6-7 ms of every page, running them well under one."""
    col = _tenancy_columns()
    m, c, u, le, k, s, p = (col[a] for a in ("m", "c", "u", "le", "k", "s", "p"))
    through = Membership.legal_entities.through._meta
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT {m.sql}, {c.sql}, {u.sql} FROM {table(Membership)} m "  # noqa: S608
            f"JOIN {table(Client)} c ON c.id = m.client_id LEFT JOIN {table(u.model)} u ON u.id = c.manager_id "
            "WHERE m.user_id = %s AND m.is_active = %s ORDER BY c.is_active DESC, m.id LIMIT 1",
            [user.pk, True],
        )
        row = cursor.fetchone()
        if row is None:
            return None
        membership, client = m.read(row), c.read(row, len(m))
        client.manager = u.read(row, len(m) + len(c))
        membership.client = client
        cursor.execute(
            f"SELECT {le.sql}, EXISTS (SELECT 1 FROM {connection.ops.quote_name(through.db_table)} t "  # noqa: S608
            f"WHERE t.{through.get_field('membership').column} = %s "
            f"AND t.{through.get_field('legalentity').column} = le.id) "
            f"FROM {table(LegalEntity)} le WHERE le.client_id = %s AND le.is_active = %s ORDER BY le.short_name, le.id",
            [membership.pk, client.pk, True],
        )
        rows = cursor.fetchall()
        limited = [le.read(r) for r in rows if r[-1]]
        legal_entities = limited or [le.read(r) for r in rows]
        contracts = {entity.pk: [] for entity in legal_entities}
        if legal_entities:
            today = connection.ops.adapt_datefield_value(timezone.localdate())
            cursor.execute(
                f"SELECT {k.sql}, {s.sql}, {p.sql} FROM {table(Contract)} k "  # noqa: S608
                f"JOIN {table(s.model)} s ON s.id = k.seller_id LEFT JOIN {table(p.model)} p ON p.id = k.price_type_id "
                f"WHERE k.legal_entity_id IN ({placeholders(contracts)}) AND k.status = %s "
                "AND (k.valid_from IS NULL OR k.valid_from <= %s) AND (k.valid_until IS NULL OR k.valid_until >= %s) "
                "ORDER BY k.date DESC, k.number",
                [*contracts, Contract.Status.ACTIVE, today, today],
            )
            for r in cursor.fetchall():
                contract = k.read(r)
                contract.seller = s.read(r, len(k))
                contract.price_type = p.read(r, len(k) + len(s))
                contracts[contract.legal_entity_id].append(contract)
    return MemberTenancy(membership=membership, legal_entities=legal_entities, contracts=contracts)


def client_members(*, client: Client) -> QuerySet[Membership]:
    return (
        Membership.objects.filter(client=client)
        .select_related("user")
        .prefetch_related("legal_entities")
        .order_by("-is_active", "user__last_name", "user__email")
    )


def client_pending_invitations(*, client: Client) -> QuerySet[Invitation]:
    return Invitation.objects.filter(
        client=client, accepted_at__isnull=True, revoked=False, expires_at__gt=timezone.now()
    ).order_by("-created_at")


def legal_entity_addresses(*, legal_entity: LegalEntity) -> QuerySet[DeliveryAddress]:
    return DeliveryAddress.objects.filter(legal_entity=legal_entity).order_by("-is_default", "title", "address")


def clients_visible_to_staff(*, user) -> QuerySet[Client]:
    """The back office: administrators see every client, managers only those assigned to them."""
    with scopes_disabled():
        qs = Client.objects.all()
    if user.is_supplier_admin:
        return qs
    return qs.filter(manager=user)


def invitation_by_token(*, token: str) -> Invitation | None:
    """The invitation behind an e-mailed link, whatever its state; the invitee has no scope yet."""
    with scopes_disabled():
        return Invitation.objects.select_related("client").filter(token=token).first()
