"""The documents archive: uploads by the supplier or the ERP, and the list customers search."""

import datetime as dt
import zipfile
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from pathlib import Path

from django.conf import settings
from django.db import transaction
from django.db.models import Q, QuerySet
from django.utils.translation import gettext as _

from optovik.core.errors import ApplicationError
from optovik.core.money import round_money

from .models import Document, DocumentKind
from .notify import document_available_notify

DEFAULT_MAX_UPLOAD_BYTES = 20 * 1024 * 1024

# Magic bytes -> (family, content type). Office Open XML and OpenDocument files are ZIP archives
# and told apart by their contents below.
PDF, IMAGE, OFFICE = "pdf", "image", "office"
SIGNATURES = (
    (b"%PDF-", PDF, "application/pdf"),
    (b"\x89PNG\r\n\x1a\n", IMAGE, "image/png"),
    (b"\xff\xd8\xff", IMAGE, "image/jpeg"),
    (b"II*\x00", IMAGE, "image/tiff"),
    (b"MM\x00*", IMAGE, "image/tiff"),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", OFFICE, "application/vnd.ms-office"),
)
EXTENSIONS = {
    ".pdf": PDF,
    ".png": IMAGE,
    ".jpg": IMAGE,
    ".jpeg": IMAGE,
    ".tif": IMAGE,
    ".tiff": IMAGE,
    ".doc": OFFICE,
    ".xls": OFFICE,
    ".docx": OFFICE,
    ".xlsx": OFFICE,
    ".odt": OFFICE,
    ".ods": OFFICE,
}
ZIP_OFFICE = {
    ".docx": ("word/document.xml", "application/vnd.openxmlformats-officedocument.wordprocessingml.document"),
    ".xlsx": ("xl/workbook.xml", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
    ".odt": ("content.xml", "application/vnd.oasis.opendocument.text"),
    ".ods": ("content.xml", "application/vnd.oasis.opendocument.spreadsheet"),
}


def max_upload_bytes() -> int:
    return int(getattr(settings, "FINANCE_DOCUMENT_MAX_BYTES", DEFAULT_MAX_UPLOAD_BYTES))


def upload_check(upload) -> str:
    """The content type of an acceptable upload (a PDF, an image or an office file, judged by its
    first bytes, not only by its name); refuses anything else with the reason."""
    name = getattr(upload, "name", "") or ""
    size = upload.size or 0
    if size == 0:
        raise ApplicationError(_("The file is empty."), field="file")
    limit = max_upload_bytes()
    if size > limit:
        raise ApplicationError(
            _("The file is larger than %(limit)s MB.") % {"limit": round(limit / 1024 / 1024, 1)}, field="file"
        )
    suffix = Path(name).suffix.lower()
    family = EXTENSIONS.get(suffix)
    if family is None:
        raise ApplicationError(
            _("Upload a PDF, an image (PNG, JPEG, TIFF) or an office file (DOC, DOCX, XLS, XLSX, ODT, ODS)."),
            field="file",
        )
    upload.seek(0)
    head = upload.read(8)
    upload.seek(0)
    if head.startswith(b"PK\x03\x04") and suffix in ZIP_OFFICE:
        member, content_type = ZIP_OFFICE[suffix]
        try:
            with zipfile.ZipFile(upload) as archive:
                ok = member in archive.namelist()
        except (zipfile.BadZipFile, OSError):
            ok = False
        finally:
            upload.seek(0)
        if ok:
            return content_type
    for signature, detected, content_type in SIGNATURES:
        if head.startswith(signature) and detected == family:
            return content_type
    raise ApplicationError(
        _("The file's content is not a %(extension)s file.") % {"extension": suffix.lstrip(".").upper()},
        field="file",
    )


def _amount(value) -> Decimal | None:
    if value in (None, ""):
        return None
    try:
        amount = round_money(Decimal(str(value).replace(",", ".").replace(" ", "")))
    except (InvalidOperation, ValueError):
        raise ApplicationError(_("Enter the amount as a number."), field="amount") from None
    if amount < 0:
        raise ApplicationError(_("The amount cannot be negative."), field="amount")
    return amount


@transaction.atomic
def document_upload(
    *,
    legal_entity,
    kind: str,
    number: str,
    date: dt.date,
    file,
    amount=None,
    contract=None,
    title: str = "",
    source: str = Document.Source.UPLOADED,
    external_id: str | None = None,
    actor=None,
    notify: bool = True,
) -> Document:
    """Files an uploaded document (by the supplier or the ERP) in the legal entity's archive.

    The file is checked first (type by its content, not empty, within the size limit); a refused
    upload stores nothing. With ``external_id`` a repeated import returns the existing row."""
    if external_id:
        existing = Document.objects.filter(external_id=external_id).first()
        if existing is not None:
            return existing
    if kind not in DocumentKind.values:
        raise ApplicationError(_("Unknown document type."), field="kind")
    number = (number or "").strip()
    if not number:
        raise ApplicationError(_("Enter the document number."), field="number")
    if contract is not None and contract.legal_entity_id != legal_entity.pk:
        raise ApplicationError(_("The contract belongs to another legal entity."), field="contract")
    if source not in Document.Source.values:
        raise ApplicationError(_("Unknown document source."), field="source")
    content_type = upload_check(file)
    document = Document(
        legal_entity=legal_entity,
        contract=contract,
        kind=kind,
        number=number[:64],
        date=date,
        amount=_amount(amount),
        title=title[:255],
        source=source,
        file_name=Path(file.name).name[:255],
        content_type=content_type,
        size=file.size,
        external_id=external_id,
        uploaded_by=actor if getattr(actor, "is_authenticated", False) else None,
    )
    document.client_id = legal_entity.client_id
    document.file.save(document.file_name, file, save=False)
    try:
        document.save()
    except Exception:
        document.file.storage.delete(document.file.name)
        raise
    if notify and kind in (DocumentKind.INVOICE, DocumentKind.UPD, DocumentKind.ACT):
        document_available_notify(document=document, exclude_user=actor)
    return document


# Reads ----------------------------------------------------------------------------------------


@dataclass(frozen=True)
class DocumentFilters:
    kind: str = ""
    date_from: dt.date | None = None
    date_to: dt.date | None = None
    q: str = ""
    legal_entity_id: int | None = None


# What the archive list shows; the rest of a row stays in the database.
LIST_FIELDS = (
    "id",
    "client_id",
    "legal_entity_id",
    "kind",
    "number",
    "date",
    "amount",
    "title",
    "source",
    "file_name",
    "invoice_id",
    "shipment_id",
)


def document_list(*, legal_entities, filters: DocumentFilters = DocumentFilters()) -> QuerySet[Document]:
    """Documents of ``legal_entities`` (the ones the user may act for), newest first, filtered and
    searched by number or title; the status of linked invoices comes in the same query."""
    allowed = [le.pk for le in legal_entities]
    if filters.legal_entity_id is not None:
        allowed = [pk for pk in allowed if pk == filters.legal_entity_id]
    qs = Document.objects.filter(legal_entity_id__in=allowed)
    if filters.kind:
        qs = qs.filter(kind=filters.kind)
    if filters.date_from:
        qs = qs.filter(date__gte=filters.date_from)
    if filters.date_to:
        qs = qs.filter(date__lte=filters.date_to)
    q = filters.q.strip()
    if q:
        qs = qs.filter(Q(number__icontains=q) | Q(title__icontains=q) | Q(file_name__icontains=q))
    return qs.select_related("invoice").only(*LIST_FIELDS, "invoice__status").order_by("-date", "-pk")


def document_for_download(*, legal_entities, pk: int) -> Document | None:
    """A document the user may download, or None (another company's, another legal entity's, or
    no such document: the caller answers 404 in every case)."""
    return (
        Document.objects.filter(pk=pk, legal_entity_id__in=[le.pk for le in legal_entities])
        .select_related("invoice", "shipment")
        .first()
    )
