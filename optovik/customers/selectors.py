"""Reads of the customer side. Selectors that resolve a scope run outside it on purpose."""

from django.db.models import Q, QuerySet
from django.utils import timezone
from django_scopes import scopes_disabled

from .models import Client, Contract, DeliveryAddress, Invitation, LegalEntity, Membership


def membership_for_user(*, user) -> Membership | None:
    """The user's active membership in an active client, or None (the account is not linked)."""
    with scopes_disabled():
        return (
            Membership.objects.select_related("client", "client__manager")
            .filter(user=user, is_active=True)
            .order_by("-client__is_active", "pk")
            .first()
        )


def membership_legal_entities(*, membership: Membership) -> list[LegalEntity]:
    """The legal entities a member may act for: the ones they are limited to, or all of the client."""
    with scopes_disabled():
        limited = list(membership.legal_entities.filter(is_active=True).order_by("short_name"))
        if limited:
            return limited
        return list(LegalEntity.objects.filter(client_id=membership.client_id, is_active=True).order_by("short_name"))


def legal_entity_contracts(*, legal_entity: LegalEntity, usable_only: bool = True) -> list[Contract]:
    """Contracts of a legal entity; by default only those that are active and valid today."""
    today = timezone.localdate()
    with scopes_disabled():
        qs = Contract.objects.select_related("seller", "price_type").filter(legal_entity=legal_entity)
        if usable_only:
            qs = qs.filter(status=Contract.Status.ACTIVE).filter(
                Q(valid_from__isnull=True) | Q(valid_from__lte=today),
                Q(valid_until__isnull=True) | Q(valid_until__gte=today),
            )
        return list(qs.order_by("-date", "number"))


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
