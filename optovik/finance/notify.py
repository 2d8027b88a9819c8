"""E-mails that a new document is available to a client's admins and accountants."""

from django.conf import settings
from django.db.models import Q
from django.urls import NoReverseMatch, reverse

from optovik.customers.models import Membership, Role

# Roles told about new invoices, UPDs and acts.
NOTIFIED_ROLES = (Role.ADMIN, Role.ACCOUNTANT)


def document_recipients(*, legal_entity, exclude_user=None) -> list[tuple[str, str]]:
    """(e-mail, language) of the active admins and accountants who act for ``legal_entity``."""
    memberships = (
        Membership.objects.filter(client_id=legal_entity.client_id, is_active=True, role__in=NOTIFIED_ROLES)
        .filter(Q(legal_entities__isnull=True) | Q(legal_entities=legal_entity))
        .select_related("user")
        .distinct()
    )
    return sorted(
        {
            (m.user.email, m.user.language)
            for m in memberships
            if m.user.is_active and m.user.email and (exclude_user is None or m.user.pk != exclude_user.pk)
        }
    )


def document_available_notify(*, document, exclude_user=None) -> None:
    """Enqueues (after commit) one e-mail per recipient, each in their own language."""
    from optovik.notifications.services import email_enqueue

    try:
        path = reverse("portal:documents")
    except NoReverseMatch:
        path = "/documents/"
    for email, language in document_recipients(legal_entity=document.legal_entity, exclude_user=exclude_user):
        email_enqueue(
            to=email,
            template="document_available",
            context={
                "kind": document.get_kind_display(),
                "number": document.number,
                "date": document.date,
                "amount": document.amount,
                "legal_entity": document.legal_entity.short_name,
                "url": f"{settings.SITE_URL.rstrip('/')}{path}",
            },
            language=language or None,
        )
