"""Writes of the customer side: delivery addresses, invitations and company members.

Each service checks its own rules and raises ``ValidationError`` (a field is wrong) or
``ApplicationError`` (the action is not allowed) with a message a person can act on; nothing is
changed when it raises.
"""

import secrets
from collections.abc import Iterable
from datetime import timedelta

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django_scopes import scopes_disabled

from optovik.core.errors import ApplicationError
from optovik.core.requisites import normalize_phone
from optovik.notifications.services import email_enqueue

from .models import Client, DeliveryAddress, Invitation, LegalEntity, Membership, Role

# Delivery addresses


def _clean_address_fields(*, address: str, contact_phone: str) -> tuple[str, str]:
    errors = {}
    address = (address or "").strip()
    if not address:
        errors["address"] = _("Enter the delivery address.")
    try:
        contact_phone = normalize_phone(contact_phone)
    except ValidationError as e:
        errors["contact_phone"] = e.messages
    if errors:
        raise ValidationError(errors)
    return address, contact_phone


def _lock_addresses(legal_entity: LegalEntity) -> list[DeliveryAddress]:
    """Locks the legal entity's addresses in a fixed order, so concurrent default changes queue up."""
    return list(DeliveryAddress.objects.select_for_update().filter(legal_entity=legal_entity).order_by("pk"))


def address_create(
    *,
    legal_entity: LegalEntity,
    address: str,
    title: str = "",
    contact_name: str = "",
    contact_phone: str = "",
    comment: str = "",
    make_default: bool = False,
) -> DeliveryAddress:
    """Adds a delivery address; the first address of a legal entity becomes its default."""
    address, contact_phone = _clean_address_fields(address=address, contact_phone=contact_phone)
    with transaction.atomic():
        existing = _lock_addresses(legal_entity)
        is_default = make_default or not existing
        if is_default:
            DeliveryAddress.objects.filter(legal_entity=legal_entity, is_default=True).update(is_default=False)
        return DeliveryAddress.objects.create(
            legal_entity=legal_entity,
            title=title.strip(),
            address=address,
            contact_name=contact_name.strip(),
            contact_phone=contact_phone,
            comment=comment.strip(),
            is_default=is_default,
        )


def address_update(
    *,
    delivery_address: DeliveryAddress,
    address: str,
    title: str = "",
    contact_name: str = "",
    contact_phone: str = "",
    comment: str = "",
) -> DeliveryAddress:
    """Changes an address's text and contact; whether it is the default is changed by ``address_make_default``."""
    address, contact_phone = _clean_address_fields(address=address, contact_phone=contact_phone)
    delivery_address.title = title.strip()
    delivery_address.address = address
    delivery_address.contact_name = contact_name.strip()
    delivery_address.contact_phone = contact_phone
    delivery_address.comment = comment.strip()
    delivery_address.save(update_fields=["title", "address", "contact_name", "contact_phone", "comment", "updated_at"])
    return delivery_address


def address_delete(*, delivery_address: DeliveryAddress) -> None:
    """Deletes an address; when it was the default, the next remaining address becomes the default."""
    with transaction.atomic():
        legal_entity = delivery_address.legal_entity
        _lock_addresses(legal_entity)
        was_default = DeliveryAddress.objects.filter(pk=delivery_address.pk, is_default=True).exists()
        delivery_address.delete()
        if was_default:
            successor = (
                DeliveryAddress.objects.filter(legal_entity=legal_entity).order_by("title", "address", "pk").first()
            )
            if successor is not None:
                successor.is_default = True
                successor.save(update_fields=["is_default", "updated_at"])


def address_make_default(*, delivery_address: DeliveryAddress) -> DeliveryAddress:
    """Makes this address the legal entity's only default one."""
    with transaction.atomic():
        _lock_addresses(delivery_address.legal_entity)
        DeliveryAddress.objects.filter(legal_entity_id=delivery_address.legal_entity_id, is_default=True).exclude(
            pk=delivery_address.pk
        ).update(is_default=False)
        delivery_address.is_default = True
        delivery_address.save(update_fields=["is_default", "updated_at"])
    return delivery_address


# Invitations


def _client_legal_entities(*, client: Client, legal_entities: Iterable[LegalEntity]) -> list[LegalEntity]:
    chosen = list(legal_entities or [])
    if any(le.client_id != client.pk for le in chosen):
        raise ValidationError({"legal_entities": _("Choose only legal entities of your company.")})
    return chosen


def invitation_create(
    *,
    client: Client,
    email: str,
    role: str,
    legal_entities: Iterable[LegalEntity] = (),
    invited_by=None,
) -> tuple[Invitation, bool]:
    """Invites a person by e-mail and sends them the link; returns ``(invitation, created)``.

    A pending invitation to the same e-mail is updated and sent again instead of duplicated; an
    e-mail that already has an account is refused (that person signs in, they are not invited).
    """
    email = (email or "").strip().lower()
    if role not in Role.values:
        raise ValidationError({"role": _("Choose a role.")})
    chosen = _client_legal_entities(client=client, legal_entities=legal_entities)
    with scopes_disabled():
        if get_user_model().objects.filter(email__iexact=email).exists():
            raise ValidationError(
                {
                    "email": _(
                        "A user with this e-mail already exists. Ask your personal manager to add them to your company."
                    )
                }
            )
    now = timezone.now()
    expires_at = now + timedelta(days=settings.INVITATION_VALID_DAYS)
    with transaction.atomic():
        invitation = (
            Invitation.objects.select_for_update()
            .filter(client=client, email__iexact=email, accepted_at__isnull=True, revoked=False, expires_at__gt=now)
            .order_by("-created_at")
            .first()
        )
        created = invitation is None
        if created:
            invitation = Invitation.objects.create(
                client=client,
                email=email,
                role=role,
                token=secrets.token_urlsafe(32),
                invited_by=invited_by,
                expires_at=expires_at,
            )
        else:
            invitation.role, invitation.expires_at = role, expires_at
            invitation.invited_by = invited_by or invitation.invited_by
            invitation.save(update_fields=["role", "expires_at", "invited_by", "updated_at"])
        invitation.legal_entities.set(chosen)
        email_enqueue(
            to=email,
            template="invitation",
            context={
                "company": client.name,
                "inviter": str(invited_by) if invited_by else "",
                "role": invitation.get_role_display(),
                "token": invitation.token,
                "expires_at": invitation.expires_at,
            },
        )
    return invitation, created


def invitation_revoke(*, invitation: Invitation) -> Invitation:
    """Makes a pending invitation's link stop working."""
    if invitation.accepted_at is not None:
        raise ApplicationError(_("This invitation has already been accepted; deactivate the user instead."))
    invitation.revoked = True
    invitation.save(update_fields=["revoked", "updated_at"])
    return invitation


def invitation_accept(*, token: str, first_name: str, last_name: str, password: str):
    """Creates the invited person's account and membership in one go and uses up the invitation.

    The password is expected to have passed Django's password validators already (the form does it).
    """
    User = get_user_model()
    with scopes_disabled(), transaction.atomic():
        invitation = Invitation.objects.select_for_update().select_related("client").filter(token=token).first()
        if invitation is None or not invitation.is_usable or not invitation.client.is_active:
            raise ApplicationError(_("This invitation link is no longer valid. Ask for a new invitation."))
        if User.objects.filter(email__iexact=invitation.email).exists():
            raise ApplicationError(
                _("An account with the e-mail %(email)s already exists. Sign in instead.") % {"email": invitation.email}
            )
        user = User.objects.create_user(
            invitation.email, password, first_name=first_name.strip(), last_name=last_name.strip()
        )
        membership = Membership.objects.create(user=user, client=invitation.client, role=invitation.role)
        membership.legal_entities.set(invitation.legal_entities.filter(is_active=True))
        invitation.accepted_at = timezone.now()
        invitation.save(update_fields=["accepted_at", "updated_at"])
    return user


# Members


def _other_active_admins(membership: Membership) -> bool:
    return (
        Membership.objects.select_for_update()
        .filter(client_id=membership.client_id, role=Role.ADMIN, is_active=True, user__is_active=True)
        .exclude(pk=membership.pk)
        .exists()
    )


def _refuse_removing_last_admin(membership: Membership) -> None:
    if membership.role == Role.ADMIN and membership.is_active and not _other_active_admins(membership):
        raise ApplicationError(
            _("%(user)s is the company's last active admin. Make someone else an admin first.")
            % {"user": membership.user}
        )


def membership_update(
    *,
    membership: Membership,
    role: str,
    legal_entities: Iterable[LegalEntity] = (),
    can_place_orders: bool | None = None,
    actor=None,
) -> Membership:
    """Changes a member's role, whether an accountant may also order, and the legal entities they may
    act for (none chosen: all of them)."""
    if role not in Role.values:
        raise ValidationError({"role": _("Choose a role.")})
    chosen = _client_legal_entities(client=membership.client, legal_entities=legal_entities)
    with transaction.atomic():
        if role != membership.role:
            if actor is not None and membership.user_id == actor.pk:
                raise ApplicationError(_("You cannot change your own role. Ask another admin to do it."))
            if role != Role.ADMIN:
                _refuse_removing_last_admin(membership)
            membership.role = role
            membership.save(update_fields=["role", "updated_at"])
        if can_place_orders is not None and can_place_orders != membership.can_place_orders:
            membership.can_place_orders = can_place_orders
            membership.save(update_fields=["can_place_orders", "updated_at"])
        membership.legal_entities.set(chosen)
    return membership


def membership_set_active(*, membership: Membership, active: bool, actor=None) -> Membership:
    """Deactivates a member (they lose access to the company at their next request) or lets them back in."""
    if membership.is_active == active:
        return membership
    with transaction.atomic():
        if not active:
            if actor is not None and membership.user_id == actor.pk:
                raise ApplicationError(_("You cannot deactivate yourself. Ask another admin to do it."))
            _refuse_removing_last_admin(membership)
        membership.is_active = active
        membership.save(update_fields=["is_active", "updated_at"])
    return membership
