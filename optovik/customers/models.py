"""The customer side of the portal: clients, their legal entities and contracts, and who may act for them.

Every row a customer owns carries its ``client`` and uses a scoped manager: querying it outside a
tenancy scope raises, so a forgotten filter fails loudly (see ``optovik.core.tenancy``).
"""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_scopes import ScopedManager

from optovik.core import requisites
from optovik.core.models import ExternalIdMixin, TimeStampedModel


class LegalForm(models.TextChoices):
    OOO = "ООО", "ООО"
    AO = "АО", "АО"
    PAO = "ПАО", "ПАО"
    IP = "ИП", "ИП"
    OTHER = "", _("other")


class RequisitesMixin(models.Model):
    """What a Russian document needs to name a legal entity."""

    legal_form = models.CharField(_("legal form"), max_length=8, choices=LegalForm.choices, blank=True)
    full_name = models.CharField(_("full name"), max_length=500)
    short_name = models.CharField(_("short name"), max_length=255)
    inn = models.CharField(_("INN"), max_length=12, validators=[requisites.validate_inn])
    kpp = models.CharField(_("KPP"), max_length=9, blank=True, validators=[requisites.validate_kpp])
    ogrn = models.CharField(_("OGRN / OGRNIP"), max_length=15, blank=True, validators=[requisites.validate_ogrn])
    legal_address = models.CharField(_("legal address"), max_length=500)
    postal_address = models.CharField(_("postal address"), max_length=500, blank=True)
    phone = models.CharField(_("phone"), max_length=32, blank=True)
    email = models.EmailField(_("e-mail"), blank=True)

    class Meta:
        abstract = True

    def __str__(self):
        return self.short_name

    def clean(self):
        super().clean()
        errors = {}
        is_ip = self.legal_form == LegalForm.IP
        if self.inn and self.inn.isdigit():
            if is_ip and len(self.inn) != 12:
                errors["inn"] = _("A sole proprietor's INN has 12 digits.")
            if not is_ip and self.legal_form and len(self.inn) != 10:
                errors["inn"] = _("An organisation's INN has 10 digits.")
        if self.ogrn and self.ogrn.isdigit():
            if is_ip and len(self.ogrn) != 15:
                errors["ogrn"] = _("A sole proprietor has an OGRNIP of 15 digits.")
            if not is_ip and self.legal_form and len(self.ogrn) != 13:
                errors["ogrn"] = _("An organisation's OGRN has 13 digits.")
        if not is_ip and self.legal_form and not self.kpp:
            errors["kpp"] = _("An organisation has a KPP.")
        if errors:
            raise ValidationError(errors)


class BankDetailsMixin(models.Model):
    bank_name = models.CharField(_("bank"), max_length=255)
    bik = models.CharField(_("BIK"), max_length=9, validators=[requisites.validate_bik])
    correspondent_account = models.CharField(_("correspondent account"), max_length=20)
    settlement_account = models.CharField(_("settlement account"), max_length=20)

    class Meta:
        abstract = True

    def clean(self):
        super().clean()
        errors = {}
        for field, check in (
            ("correspondent_account", requisites.validate_correspondent_account),
            ("settlement_account", requisites.validate_settlement_account),
        ):
            try:
                check(getattr(self, field), self.bik)
            except ValidationError as e:
                errors[field] = e.messages
        if errors:
            raise ValidationError(errors)


class SellerOrganization(ExternalIdMixin, RequisitesMixin, BankDetailsMixin, TimeStampedModel):
    """One of the supplier's own legal entities: it signs contracts and issues invoices and UPD."""

    director_name = models.CharField(_("director"), max_length=255)
    director_position = models.CharField(_("director's position"), max_length=255, default="Генеральный директор")
    chief_accountant_name = models.CharField(_("chief accountant"), max_length=255, blank=True)
    vat_payer = models.BooleanField(_("VAT payer"), default=True)
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("seller organization")
        verbose_name_plural = _("seller organizations")
        ordering = ["short_name"]


class Client(ExternalIdMixin, TimeStampedModel):
    """A customer account: one company or a holding of several legal entities."""

    name = models.CharField(_("name"), max_length=255)
    manager = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("personal manager"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="managed_clients",
        limit_choices_to={"is_staff": True},
    )
    is_active = models.BooleanField(
        _("active"), default=True, help_text=_("A blocked client's users cannot sign in; their sessions end.")
    )
    comment = models.TextField(_("comment"), blank=True)

    objects = ScopedManager(client="pk")

    class Meta:
        verbose_name = _("client")
        verbose_name_plural = _("clients")
        ordering = ["name"]

    def __str__(self):
        return self.name


class LegalEntity(ExternalIdMixin, RequisitesMixin, TimeStampedModel):
    """A client's legal entity (юрлицо or ИП), the buyer named in contracts and documents."""

    client = models.ForeignKey(
        Client, verbose_name=_("client"), on_delete=models.CASCADE, related_name="legal_entities"
    )
    is_active = models.BooleanField(_("active"), default=True)

    objects = ScopedManager(client="client")

    class Meta:
        verbose_name = _("legal entity")
        verbose_name_plural = _("legal entities")
        ordering = ["short_name"]
        constraints = [models.UniqueConstraint(fields=["inn", "kpp"], name="legal_entity_inn_kpp_unique")]


class BankAccount(BankDetailsMixin, TimeStampedModel):
    client = models.ForeignKey(Client, on_delete=models.CASCADE, related_name="+", editable=False)
    legal_entity = models.ForeignKey(
        LegalEntity, verbose_name=_("legal entity"), on_delete=models.CASCADE, related_name="bank_accounts"
    )
    is_primary = models.BooleanField(_("primary"), default=True)

    objects = ScopedManager(client="client")

    class Meta:
        verbose_name = _("bank account")
        verbose_name_plural = _("bank accounts")
        ordering = ["-is_primary", "pk"]

    def __str__(self):
        return f"{self.settlement_account} ({self.bank_name})"

    def save(self, *args, **kwargs):
        self.client_id = self.legal_entity.client_id
        super().save(*args, **kwargs)


class Contract(ExternalIdMixin, TimeStampedModel):
    """A contract between a client's legal entity and one of the supplier's seller organizations."""

    class PaymentTerms(models.TextChoices):
        PREPAYMENT = "prepayment", _("prepayment")
        DEFERRAL = "deferral", _("deferred payment")

    class Status(models.TextChoices):
        ACTIVE = "active", _("active")
        SUSPENDED = "suspended", _("suspended")
        CLOSED = "closed", _("closed")

    client = models.ForeignKey(Client, on_delete=models.CASCADE, related_name="contracts", editable=False)
    legal_entity = models.ForeignKey(
        LegalEntity, verbose_name=_("legal entity"), on_delete=models.PROTECT, related_name="contracts"
    )
    seller = models.ForeignKey(
        SellerOrganization, verbose_name=_("seller organization"), on_delete=models.PROTECT, related_name="contracts"
    )
    number = models.CharField(_("number"), max_length=64)
    date = models.DateField(_("date"))
    currency = models.CharField(_("currency"), max_length=3, default="RUB")
    payment_terms = models.CharField(
        _("payment terms"), max_length=16, choices=PaymentTerms.choices, default=PaymentTerms.PREPAYMENT
    )
    deferral_days = models.PositiveIntegerField(_("deferral, days"), default=0)
    credit_limit = models.DecimalField(_("credit limit"), max_digits=14, decimal_places=2, null=True, blank=True)
    overdue_blocks_orders = models.BooleanField(
        _("overdue debt blocks ordering"),
        default=True,
        help_text=_("While the contract has overdue debt, new orders are refused."),
    )
    valid_from = models.DateField(_("valid from"), null=True, blank=True)
    valid_until = models.DateField(_("valid until"), null=True, blank=True)
    status = models.CharField(_("status"), max_length=16, choices=Status.choices, default=Status.ACTIVE)
    price_type = models.ForeignKey(
        "pricing.PriceType",
        verbose_name=_("price type"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    specification_only = models.BooleanField(
        _("specification only"),
        default=False,
        help_text=_("Its users see and buy only the products of its specification."),
    )

    objects = ScopedManager(client="client")

    class Meta:
        verbose_name = _("contract")
        verbose_name_plural = _("contracts")
        ordering = ["-date", "number"]
        constraints = [
            models.UniqueConstraint(fields=["seller", "number"], name="contract_seller_number_unique"),
            models.CheckConstraint(
                condition=Q(payment_terms="prepayment", deferral_days=0)
                | Q(payment_terms="deferral", deferral_days__gt=0),
                name="contract_deferral_days_match_terms",
            ),
        ]

    def __str__(self):
        return _("No. %(number)s of %(date)s") % {"number": self.number, "date": self.date.strftime("%d.%m.%Y")}

    def clean(self):
        super().clean()
        if self.payment_terms == self.PaymentTerms.DEFERRAL and not self.deferral_days:
            raise ValidationError({"deferral_days": _("Deferred payment needs the number of days.")})
        if self.payment_terms == self.PaymentTerms.PREPAYMENT:
            self.deferral_days = 0
        if self.valid_from and self.valid_until and self.valid_until < self.valid_from:
            raise ValidationError({"valid_until": _("The contract cannot end before it starts.")})

    def save(self, *args, **kwargs):
        self.client_id = self.legal_entity.client_id
        super().save(*args, **kwargs)

    def is_valid_on(self, day=None) -> bool:
        day = day or timezone.localdate()
        return (
            self.status == self.Status.ACTIVE
            and (self.valid_from is None or self.valid_from <= day)
            and (self.valid_until is None or day <= self.valid_until)
        )


class Role(models.TextChoices):
    ADMIN = "admin", _("company admin")
    PURCHASER = "purchaser", _("purchaser")
    ACCOUNTANT = "accountant", _("accountant")


class Membership(TimeStampedModel):
    """A user's place in a client company: a role, and optionally only some of its legal entities."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="memberships")
    client = models.ForeignKey(Client, verbose_name=_("client"), on_delete=models.CASCADE, related_name="memberships")
    role = models.CharField(_("role"), max_length=16, choices=Role.choices, default=Role.PURCHASER)
    can_place_orders = models.BooleanField(
        _("may also place orders"),
        default=False,
        help_text=_("Gives an accountant the purchaser's right to order; admins and purchasers have it anyway."),
    )
    legal_entities = models.ManyToManyField(
        LegalEntity,
        verbose_name=_("limited to legal entities"),
        blank=True,
        related_name="+",
        help_text=_("Empty: all legal entities of the client."),
    )
    is_active = models.BooleanField(_("active"), default=True)

    objects = ScopedManager(client="client")

    class Meta:
        verbose_name = _("membership")
        verbose_name_plural = _("memberships")
        constraints = [models.UniqueConstraint(fields=["user", "client"], name="membership_user_client_unique")]

    def __str__(self):
        return f"{self.user} — {self.client} ({self.get_role_display()})"


class DeliveryAddress(TimeStampedModel):
    client = models.ForeignKey(Client, on_delete=models.CASCADE, related_name="+", editable=False)
    legal_entity = models.ForeignKey(
        LegalEntity, verbose_name=_("legal entity"), on_delete=models.CASCADE, related_name="delivery_addresses"
    )
    title = models.CharField(_("title"), max_length=120, blank=True, help_text=_("E.g. «Main warehouse»."))
    address = models.CharField(_("address"), max_length=500)
    contact_name = models.CharField(_("contact person"), max_length=255, blank=True)
    contact_phone = models.CharField(_("contact phone"), max_length=16, blank=True)
    comment = models.CharField(_("comment for the driver"), max_length=500, blank=True)
    is_default = models.BooleanField(_("default"), default=False)

    objects = ScopedManager(client="client")

    class Meta:
        verbose_name = _("delivery address")
        verbose_name_plural = _("delivery addresses")
        ordering = ["-is_default", "title", "address"]
        constraints = [
            models.UniqueConstraint(
                fields=["legal_entity"], condition=Q(is_default=True), name="delivery_address_one_default"
            )
        ]

    def __str__(self):
        return f"{self.title}: {self.address}" if self.title else self.address

    def save(self, *args, **kwargs):
        self.client_id = self.legal_entity.client_id
        super().save(*args, **kwargs)


class Invitation(TimeStampedModel):
    """An e-mailed invitation into a client company; the invitee follows the link and sets a password."""

    client = models.ForeignKey(Client, on_delete=models.CASCADE, related_name="invitations")
    email = models.EmailField(_("e-mail"))
    role = models.CharField(_("role"), max_length=16, choices=Role.choices, default=Role.PURCHASER)
    legal_entities = models.ManyToManyField(
        LegalEntity, verbose_name=_("limited to legal entities"), blank=True, related_name="+"
    )
    token = models.CharField(max_length=64, unique=True)
    invited_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    expires_at = models.DateTimeField()
    accepted_at = models.DateTimeField(null=True, blank=True)
    revoked = models.BooleanField(default=False)

    objects = ScopedManager(client="client")

    class Meta:
        verbose_name = _("invitation")
        verbose_name_plural = _("invitations")
        ordering = ["-created_at"]

    def __str__(self):
        return self.email

    @property
    def is_usable(self) -> bool:
        return not self.revoked and self.accepted_at is None and self.expires_at > timezone.now()
