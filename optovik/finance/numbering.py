"""Document numbers: per seller organization, kind and year, without gaps or duplicates."""

from django.db import transaction
from django.db.models import F

from .models import DocumentCounter


def document_sequence_next(*, seller, kind: str, year: int) -> int:
    """The next number of ``kind`` documents of ``seller`` in ``year``.

    Runs inside the caller's transaction: the counter row stays locked until it commits, so two
    simultaneous issues get distinct numbers, and a rolled-back issue gives its number back."""
    assert transaction.get_connection().in_atomic_block, "numbers are taken inside the issuing transaction"
    DocumentCounter.objects.get_or_create(seller=seller, kind=kind, year=year)
    counter = DocumentCounter.objects.select_for_update().get(seller=seller, kind=kind, year=year)
    DocumentCounter.objects.filter(pk=counter.pk).update(last_number=F("last_number") + 1)
    return counter.last_number + 1
