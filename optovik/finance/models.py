"""Settlements with customers: one ledger per contract.

Shipments debit the contract, payments credit it. Entries are entered in the back office for now;
the ERP exchange and the documents (invoices, UPD, acts) post to the same ledger.
"""

from decimal import Decimal

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django_scopes import ScopedManager

from optovik.core.models import ExternalIdMixin, TimeStampedModel

from .storage import private_storage, rendered_path, upload_path


class LedgerEntry(ExternalIdMixin, TimeStampedModel):
    class Kind(models.TextChoices):
        OPENING = "opening", _("opening balance")
        SHIPMENT = "shipment", _("shipment")
        PAYMENT = "payment", _("payment")
        RETURN = "return", _("return")
        ADJUSTMENT = "adjustment", _("adjustment")

    client = models.ForeignKey("customers.Client", on_delete=models.PROTECT, related_name="+", editable=False)
    contract = models.ForeignKey(
        "customers.Contract", verbose_name=_("contract"), on_delete=models.PROTECT, related_name="ledger_entries"
    )
    kind = models.CharField(_("kind"), max_length=16, choices=Kind.choices)
    date = models.DateField(_("date"), db_index=True)
    document_number = models.CharField(_("document number"), max_length=64, blank=True)
    description = models.CharField(_("description"), max_length=255, blank=True)
    debit = models.DecimalField(_("debit (customer owes)"), max_digits=16, decimal_places=2, default=Decimal(0))
    credit = models.DecimalField(_("credit (customer paid)"), max_digits=16, decimal_places=2, default=Decimal(0))
    due_date = models.DateField(_("due date"), null=True, blank=True, help_text=_("When a debit must be paid."))
    order = models.ForeignKey("ordering.Order", on_delete=models.SET_NULL, null=True, blank=True, related_name="+")

    objects = ScopedManager(client="client")

    class Meta:
        verbose_name = _("ledger entry")
        verbose_name_plural = _("ledger entries")
        ordering = ["date", "pk"]
        indexes = [models.Index(fields=["contract", "date"], name="ledger_contract_date")]
        constraints = [
            models.CheckConstraint(condition=Q(debit__gte=0, credit__gte=0), name="ledger_amounts_not_negative"),
            models.CheckConstraint(
                condition=(Q(debit__gt=0) & Q(credit=0)) | (Q(credit__gt=0) & Q(debit=0)),
                name="ledger_debit_or_credit",
            ),
        ]

    def __str__(self):
        return f"{self.get_kind_display()} {self.document_number} {self.date:%d.%m.%Y}"

    def save(self, *args, **kwargs):
        self.client_id = self.contract.client_id
        super().save(*args, **kwargs)


# Documents: invoices, shipments (UPD), payments and the archive ----------------------------------

MONEY = {"max_digits": 16, "decimal_places": 2}
QTY = {"max_digits": 14, "decimal_places": 3}


class DocumentKind(models.TextChoices):
    INVOICE = "invoice", _("invoice")
    UPD = "upd", _("UPD")
    ACT = "act", _("reconciliation act")
    CONTRACT = "contract", _("contract")
    OTHER = "other", _("other")


class DocumentCounter(models.Model):
    """The last number a seller organization gave to documents of one kind in one year. Incremented
    under a row lock in the transaction that issues the document; a unique constraint on the
    documents themselves backs it up."""

    seller = models.ForeignKey("customers.SellerOrganization", on_delete=models.CASCADE, related_name="+")
    kind = models.CharField(max_length=16, choices=DocumentKind.choices)
    year = models.PositiveIntegerField()
    last_number = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = _("document counter")
        verbose_name_plural = _("document counters")
        constraints = [
            models.UniqueConstraint(fields=["seller", "kind", "year"], name="document_counter_seller_kind_year")
        ]

    def __str__(self):
        return f"{self.seller_id} {self.kind} {self.year}: {self.last_number}"


class RenderedPdfMixin(models.Model):
    """A PDF rendered on demand and kept until the document's ``version`` changes."""

    version = models.PositiveIntegerField(_("version"), default=1)
    pdf = models.FileField(storage=private_storage, upload_to=rendered_path, blank=True, editable=False)
    pdf_version = models.CharField(max_length=32, blank=True, editable=False)

    class Meta:
        abstract = True


class Invoice(RenderedPdfMixin, TimeStampedModel):
    """An invoice for payment (счёт на оплату) of an order.

    Issued by the contract's seller organization and numbered per seller and year. The seller's and
    the buyer's requisites are copied at issue (``seller_data``, ``buyer_data``), so later changes
    of either never alter an issued invoice. An invoice is never deleted; it is cancelled."""

    class Status(models.TextChoices):
        ISSUED = "issued", _("issued")
        CANCELLED = "cancelled", _("cancelled")

    client = models.ForeignKey("customers.Client", on_delete=models.PROTECT, related_name="+", editable=False)
    legal_entity = models.ForeignKey(
        "customers.LegalEntity", verbose_name=_("legal entity"), on_delete=models.PROTECT, related_name="+"
    )
    contract = models.ForeignKey(
        "customers.Contract", verbose_name=_("contract"), on_delete=models.PROTECT, related_name="+"
    )
    seller = models.ForeignKey(
        "customers.SellerOrganization",
        verbose_name=_("seller organization"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    order = models.ForeignKey(
        "ordering.Order", verbose_name=_("order"), on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    year = models.PositiveIntegerField(editable=False)
    sequence = models.PositiveIntegerField(editable=False)
    number = models.CharField(_("number"), max_length=32)
    date = models.DateField(_("date"))
    due_date = models.DateField(_("pay by"), null=True, blank=True)
    status = models.CharField(_("status"), max_length=16, choices=Status.choices, default=Status.ISSUED)
    seller_data = models.JSONField(_("seller's requisites at issue"), default=dict)
    buyer_data = models.JSONField(_("buyer's requisites at issue"), default=dict)
    payment_terms = models.TextField(_("payment terms"), blank=True)
    basis = models.CharField(_("basis"), max_length=255, blank=True)
    total_net = models.DecimalField(_("total without VAT"), **MONEY, default=Decimal(0))
    total_vat = models.DecimalField(_("VAT"), **MONEY, default=Decimal(0))
    total_gross = models.DecimalField(_("total"), **MONEY, default=Decimal(0))
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    objects = ScopedManager(client="client")

    class Meta:
        verbose_name = _("invoice")
        verbose_name_plural = _("invoices")
        ordering = ["-date", "-pk"]
        constraints = [
            models.UniqueConstraint(fields=["seller", "year", "sequence"], name="invoice_seller_year_sequence"),
        ]

    def __str__(self):
        return _("Invoice No. %(number)s of %(date)s") % {"number": self.number, "date": f"{self.date:%d.%m.%Y}"}


class InvoiceLine(models.Model):
    client = models.ForeignKey("customers.Client", on_delete=models.PROTECT, related_name="+", editable=False)
    invoice = models.ForeignKey(Invoice, on_delete=models.CASCADE, related_name="lines")
    position = models.PositiveIntegerField(_("No."))
    code = models.CharField(_("article"), max_length=64, blank=True)
    name = models.CharField(_("name"), max_length=500)
    unit = models.CharField(_("unit"), max_length=32)
    quantity = models.DecimalField(_("quantity"), **QTY)
    price = models.DecimalField(_("price incl. VAT"), **MONEY)
    vat_rate = models.DecimalField(_("VAT rate, %"), max_digits=5, decimal_places=2, null=True, blank=True)
    amount = models.DecimalField(_("amount incl. VAT"), **MONEY)

    objects = ScopedManager(client="client")

    class Meta:
        verbose_name = _("invoice line")
        verbose_name_plural = _("invoice lines")
        ordering = ["invoice", "position"]

    def __str__(self):
        return f"{self.name} × {self.quantity}"


class Shipment(ExternalIdMixin, RenderedPdfMixin, TimeStampedModel):
    """A shipment (отгрузка) and its universal transfer document (УПД).

    Entered as a draft in the back office (or sent by the ERP); posting numbers it per seller and
    year, copies both parties' requisites, and debits the contract's ledger with a due date after
    the contract's deferral."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("draft")
        POSTED = "posted", _("posted")

    class UpdStatus(models.IntegerChoices):
        INVOICE_AND_ACT = 1, _("1 — invoice-factura and transfer act")
        ACT_ONLY = 2, _("2 — transfer act only")

    client = models.ForeignKey("customers.Client", on_delete=models.PROTECT, related_name="+", editable=False)
    legal_entity = models.ForeignKey(
        "customers.LegalEntity", on_delete=models.PROTECT, related_name="+", editable=False
    )
    contract = models.ForeignKey(
        "customers.Contract", verbose_name=_("contract"), on_delete=models.PROTECT, related_name="+"
    )
    seller = models.ForeignKey(
        "customers.SellerOrganization", on_delete=models.PROTECT, related_name="+", editable=False
    )
    order = models.ForeignKey(
        "ordering.Order", verbose_name=_("order"), on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    date = models.DateField(_("date"))
    status = models.CharField(_("status"), max_length=16, choices=Status.choices, default=Status.DRAFT)
    upd_status = models.PositiveSmallIntegerField(
        _("UPD status"), choices=UpdStatus.choices, default=UpdStatus.INVOICE_AND_ACT
    )
    year = models.PositiveIntegerField(null=True, blank=True, editable=False)
    sequence = models.PositiveIntegerField(null=True, blank=True, editable=False)
    number = models.CharField(_("number"), max_length=32, blank=True, editable=False)
    seller_data = models.JSONField(default=dict, editable=False)
    buyer_data = models.JSONField(default=dict, editable=False)
    total_net = models.DecimalField(_("total without VAT"), **MONEY, default=Decimal(0), editable=False)
    total_vat = models.DecimalField(_("VAT"), **MONEY, default=Decimal(0), editable=False)
    total_gross = models.DecimalField(_("total"), **MONEY, default=Decimal(0), editable=False)
    ledger_entry = models.OneToOneField(
        LedgerEntry, on_delete=models.PROTECT, null=True, blank=True, related_name="shipment", editable=False
    )
    posted_at = models.DateTimeField(null=True, blank=True, editable=False)

    objects = ScopedManager(client="client")

    class Meta:
        verbose_name = _("shipment")
        verbose_name_plural = _("shipments")
        ordering = ["-date", "-pk"]
        constraints = [
            models.UniqueConstraint(fields=["seller", "year", "sequence"], name="shipment_seller_year_sequence"),
        ]

    def __str__(self):
        if self.number:
            return _("UPD No. %(number)s of %(date)s") % {"number": self.number, "date": f"{self.date:%d.%m.%Y}"}
        return _("Draft shipment of %(date)s") % {"date": f"{self.date:%d.%m.%Y}"}

    def save(self, *args, **kwargs):
        self.client_id = self.contract.client_id
        self.legal_entity_id = self.contract.legal_entity_id
        self.seller_id = self.contract.seller_id
        super().save(*args, **kwargs)


class ShipmentLine(models.Model):
    client = models.ForeignKey("customers.Client", on_delete=models.PROTECT, related_name="+", editable=False)
    shipment = models.ForeignKey(Shipment, on_delete=models.CASCADE, related_name="lines")
    order_line = models.ForeignKey(
        "ordering.OrderLine", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    code = models.CharField(_("article"), max_length=64, blank=True)
    name = models.CharField(_("name"), max_length=500)
    unit = models.CharField(_("unit"), max_length=32, default="шт")
    unit_code = models.CharField(_("OKEI code"), max_length=4, default="796")
    quantity = models.DecimalField(_("quantity"), **QTY)
    price = models.DecimalField(_("price incl. VAT"), **MONEY)
    vat_rate = models.DecimalField(_("VAT rate, %"), max_digits=5, decimal_places=2, null=True, blank=True)
    country_code = models.CharField(_("country code"), max_length=3, blank=True)
    country_name = models.CharField(_("country"), max_length=64, blank=True)
    declaration_number = models.CharField(_("customs declaration"), max_length=64, blank=True)

    objects = ScopedManager(client="client")

    class Meta:
        verbose_name = _("shipment line")
        verbose_name_plural = _("shipment lines")
        ordering = ["shipment", "pk"]
        constraints = [models.CheckConstraint(condition=Q(quantity__gt=0), name="shipment_line_quantity_positive")]

    def __str__(self):
        return f"{self.name} × {self.quantity}"

    def save(self, *args, **kwargs):
        self.client_id = self.shipment.client_id
        super().save(*args, **kwargs)


class SerialNumber(models.Model):
    client = models.ForeignKey("customers.Client", on_delete=models.PROTECT, related_name="+", editable=False)
    line = models.ForeignKey(ShipmentLine, on_delete=models.CASCADE, related_name="serials")
    serial = models.CharField(_("serial number"), max_length=128)

    objects = ScopedManager(client="client")

    class Meta:
        verbose_name = _("serial number")
        verbose_name_plural = _("serial numbers")
        ordering = ["line", "pk"]
        constraints = [models.UniqueConstraint(fields=["line", "serial"], name="serial_number_line_unique")]

    def __str__(self):
        return self.serial

    def save(self, *args, **kwargs):
        self.client_id = self.line.client_id
        super().save(*args, **kwargs)


class Payment(ExternalIdMixin, TimeStampedModel):
    """A payment received from the customer under a contract; posting credits the ledger."""

    client = models.ForeignKey("customers.Client", on_delete=models.PROTECT, related_name="+", editable=False)
    contract = models.ForeignKey(
        "customers.Contract", verbose_name=_("contract"), on_delete=models.PROTECT, related_name="+"
    )
    date = models.DateField(_("date"))
    number = models.CharField(_("payment order No."), max_length=64, blank=True)
    amount = models.DecimalField(_("amount"), **MONEY)
    purpose = models.CharField(_("purpose"), max_length=255, blank=True)
    ledger_entry = models.OneToOneField(LedgerEntry, on_delete=models.PROTECT, related_name="payment", editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+", editable=False
    )

    objects = ScopedManager(client="client")

    class Meta:
        verbose_name = _("payment")
        verbose_name_plural = _("payments")
        ordering = ["-date", "-pk"]
        constraints = [models.CheckConstraint(condition=Q(amount__gt=0), name="payment_amount_positive")]

    def __str__(self):
        return _("Payment No. %(number)s of %(date)s") % {"number": self.number or "—", "date": f"{self.date:%d.%m.%Y}"}


class Document(ExternalIdMixin, TimeStampedModel):
    """A row of a legal entity's documents archive: issued here (an invoice, a UPD, an act), or a
    file uploaded by the supplier or sent by the ERP. Files live in private storage and are served
    only through a view that checks the scope."""

    class Source(models.TextChoices):
        ISSUED = "issued", _("issued on the portal")
        UPLOADED = "uploaded", _("uploaded by the supplier")
        ERP = "erp", _("from the ERP")

    client = models.ForeignKey("customers.Client", on_delete=models.PROTECT, related_name="+", editable=False)
    legal_entity = models.ForeignKey(
        "customers.LegalEntity", verbose_name=_("legal entity"), on_delete=models.PROTECT, related_name="+"
    )
    contract = models.ForeignKey(
        "customers.Contract",
        verbose_name=_("contract"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    kind = models.CharField(_("type"), max_length=16, choices=DocumentKind.choices)
    number = models.CharField(_("number"), max_length=64)
    date = models.DateField(_("date"))
    amount = models.DecimalField(_("amount"), **MONEY, null=True, blank=True)
    title = models.CharField(_("title"), max_length=255, blank=True)
    source = models.CharField(_("source"), max_length=16, choices=Source.choices, default=Source.UPLOADED)
    file = models.FileField(_("file"), storage=private_storage, upload_to=upload_path, blank=True, max_length=255)
    file_name = models.CharField(_("file name"), max_length=255, blank=True)
    content_type = models.CharField(max_length=128, blank=True)
    size = models.PositiveIntegerField(default=0)
    invoice = models.OneToOneField(
        Invoice, on_delete=models.PROTECT, null=True, blank=True, related_name="document", editable=False
    )
    shipment = models.OneToOneField(
        Shipment, on_delete=models.PROTECT, null=True, blank=True, related_name="document", editable=False
    )
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+", editable=False
    )

    objects = ScopedManager(client="client")

    class Meta:
        verbose_name = _("document")
        verbose_name_plural = _("documents")
        ordering = ["-date", "-pk"]
        indexes = [
            models.Index(fields=["legal_entity", "-date", "-id"], name="document_le_date"),
            models.Index(fields=["legal_entity", "kind", "-date"], name="document_le_kind_date"),
        ]

    def __str__(self):
        return f"{self.get_kind_display()} № {self.number} {self.date:%d.%m.%Y}"

    def save(self, *args, **kwargs):
        self.client_id = self.legal_entity.client_id
        super().save(*args, **kwargs)
