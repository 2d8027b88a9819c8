"""Carts, saved lists, orders and what surrounds them: approvals, holds (reservations without an
order) and demand plans.

Every row carries its ``client`` and uses a scoped manager (see ``optovik.core.tenancy``). An order
copies what it was sold at — prices, names, requisites of the delivery — so later changes to the
catalog or the contract never change a placed order.
"""

from decimal import Decimal

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from django_scopes import ScopedManager

from optovik.core.models import ExternalIdMixin, TimeStampedModel

QTY = {"max_digits": 14, "decimal_places": 3}
MONEY = {"max_digits": 16, "decimal_places": 2}


class Cart(TimeStampedModel):
    """One cart per user and contract: switching the contract switches the cart."""

    client = models.ForeignKey("customers.Client", on_delete=models.CASCADE, related_name="+")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="carts")
    contract = models.ForeignKey("customers.Contract", on_delete=models.CASCADE, related_name="+")
    reminder_sent_at = models.DateTimeField(null=True, blank=True)

    objects = ScopedManager(client="client")

    class Meta:
        verbose_name = _("cart")
        verbose_name_plural = _("carts")
        constraints = [models.UniqueConstraint(fields=["user", "contract"], name="cart_user_contract_unique")]

    def __str__(self):
        return f"{self.user} / {self.contract_id}"


class CartLine(models.Model):
    client = models.ForeignKey("customers.Client", on_delete=models.CASCADE, related_name="+")
    cart = models.ForeignKey(Cart, on_delete=models.CASCADE, related_name="lines")
    product = models.ForeignKey("catalog.Product", on_delete=models.CASCADE, related_name="+")
    quantity = models.DecimalField(_("quantity"), **QTY, validators=[MinValueValidator(Decimal("0.001"))])
    added_at = models.DateTimeField(auto_now_add=True)

    objects = ScopedManager(client="client")

    class Meta:
        verbose_name = _("cart line")
        verbose_name_plural = _("cart lines")
        ordering = ["added_at", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["cart", "product"], name="cart_line_product_unique"),
            models.CheckConstraint(condition=Q(quantity__gt=0), name="cart_line_quantity_positive"),
        ]

    def __str__(self):
        return f"{self.product_id} × {self.quantity}"


class SavedList(TimeStampedModel):
    """An order template: a named list of products and quantities, private or shared with the company."""

    client = models.ForeignKey("customers.Client", on_delete=models.CASCADE, related_name="+")
    owner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="saved_lists")
    name = models.CharField(_("name"), max_length=200)
    shared = models.BooleanField(_("shared with the company"), default=False)

    objects = ScopedManager(client="client")

    class Meta:
        verbose_name = _("saved list")
        verbose_name_plural = _("saved lists")
        ordering = ["name"]

    def __str__(self):
        return self.name


class SavedListLine(models.Model):
    client = models.ForeignKey("customers.Client", on_delete=models.CASCADE, related_name="+")
    saved_list = models.ForeignKey(SavedList, on_delete=models.CASCADE, related_name="lines")
    product = models.ForeignKey("catalog.Product", on_delete=models.CASCADE, related_name="+")
    quantity = models.DecimalField(_("quantity"), **QTY)

    objects = ScopedManager(client="client")

    class Meta:
        verbose_name = _("saved list line")
        verbose_name_plural = _("saved list lines")
        ordering = ["pk"]
        constraints = [
            models.UniqueConstraint(fields=["saved_list", "product"], name="saved_list_line_product_unique"),
            models.CheckConstraint(condition=Q(quantity__gt=0), name="saved_list_line_quantity_positive"),
        ]

    def __str__(self):
        return f"{self.product_id} × {self.quantity}"


class OrderStatus(models.TextChoices):
    AWAITING_APPROVAL = "awaiting_approval", _("awaiting approval")
    PLACED = "placed", _("placed")
    CONFIRMED = "confirmed", _("confirmed")
    ASSEMBLING = "assembling", _("assembling")
    SHIPPED = "shipped", _("shipped")
    DELIVERED = "delivered", _("delivered")
    COMPLETED = "completed", _("completed")
    CANCELLED = "cancelled", _("cancelled")
    REJECTED = "rejected", _("rejected")


# Orders in these statuses hold stock and count against the credit limit (they are not shipped yet).
OPEN_STATUSES = (
    OrderStatus.AWAITING_APPROVAL,
    OrderStatus.PLACED,
    OrderStatus.CONFIRMED,
    OrderStatus.ASSEMBLING,
)


class OrderChannel(models.TextChoices):
    PORTAL = "portal", _("portal")
    MANAGER = "manager", _("manager on behalf of the customer")
    ERP = "erp", _("ERP")
    PHONE = "phone", _("phone or e-mail")


class DeliveryMethod(models.TextChoices):
    PICKUP = "pickup", _("pickup")
    DELIVERY = "delivery", _("delivery")


class OrderCounter(models.Model):
    """The last order number issued per year. Incremented under a row lock inside the transaction
    that creates the order, so numbers have no gaps (a rolled-back order returns its number) and
    no duplicates."""

    year = models.PositiveIntegerField(primary_key=True)
    last_number = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = _("order counter")
        verbose_name_plural = _("order counters")

    def __str__(self):
        return f"{self.year}: {self.last_number}"


class Order(ExternalIdMixin, TimeStampedModel):
    client = models.ForeignKey("customers.Client", verbose_name=_("client"), on_delete=models.PROTECT, related_name="+")
    legal_entity = models.ForeignKey(
        "customers.LegalEntity", verbose_name=_("legal entity"), on_delete=models.PROTECT, related_name="+"
    )
    contract = models.ForeignKey(
        "customers.Contract", verbose_name=_("contract"), on_delete=models.PROTECT, related_name="+"
    )
    placed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("placed by"), on_delete=models.SET_NULL, null=True, related_name="+"
    )
    number = models.CharField(_("number"), max_length=32, unique=True)
    status = models.CharField(_("status"), max_length=20, choices=OrderStatus.choices, db_index=True)
    channel = models.CharField(_("channel"), max_length=16, choices=OrderChannel.choices, default=OrderChannel.PORTAL)
    placed_at = models.DateTimeField(_("placed at"), db_index=True)
    delivery_method = models.CharField(_("delivery method"), max_length=16, choices=DeliveryMethod.choices)
    warehouse = models.ForeignKey(
        "inventory.Warehouse",
        verbose_name=_("pickup warehouse"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    delivery_address = models.ForeignKey(
        "customers.DeliveryAddress",
        verbose_name=_("delivery address"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    delivery_address_text = models.CharField(_("delivery address"), max_length=500, blank=True)
    desired_date = models.DateField(_("desired date"), null=True, blank=True)
    contact_name = models.CharField(_("contact person"), max_length=255, blank=True)
    contact_phone = models.CharField(_("contact phone"), max_length=16, blank=True)
    comment = models.TextField(_("comment"), blank=True)
    po_number = models.CharField(_("customer's PO number"), max_length=64, blank=True)
    currency = models.CharField(_("currency"), max_length=3, default="RUB")
    total_net = models.DecimalField(_("total without VAT"), **MONEY, default=Decimal(0))
    total_vat = models.DecimalField(_("VAT"), **MONEY, default=Decimal(0))
    total_gross = models.DecimalField(_("total"), **MONEY, default=Decimal(0))
    total_weight_kg = models.DecimalField(_("weight, kg"), max_digits=14, decimal_places=3, default=Decimal(0))
    total_volume_m3 = models.DecimalField(_("volume, m³"), max_digits=14, decimal_places=6, default=Decimal(0))
    source_order = models.ForeignKey(
        "self", verbose_name=_("repeat of"), on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    objects = ScopedManager(client="client")

    class Meta:
        verbose_name = _("order")
        verbose_name_plural = _("orders")
        ordering = ["-placed_at", "-pk"]
        indexes = [
            models.Index(fields=["client", "-placed_at"], name="order_client_placed"),
            models.Index(fields=["contract", "status"], name="order_contract_status"),
        ]

    def __str__(self):
        return self.number

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_STATUSES


class OrderLine(models.Model):
    """A line as it was sold: product data and prices are copied, never looked up again."""

    client = models.ForeignKey("customers.Client", on_delete=models.PROTECT, related_name="+")
    order = models.ForeignKey(Order, on_delete=models.CASCADE, related_name="lines")
    product = models.ForeignKey("catalog.Product", on_delete=models.PROTECT, related_name="+")
    article = models.CharField(_("article"), max_length=64)
    name = models.CharField(_("name"), max_length=500)
    unit = models.CharField(_("unit"), max_length=32)
    quantity = models.DecimalField(_("quantity"), **QTY)
    price_net = models.DecimalField(_("price without VAT"), **MONEY)
    price_gross = models.DecimalField(_("price"), **MONEY)
    base_price_gross = models.DecimalField(_("base price"), **MONEY, null=True, blank=True)
    discount_percent = models.DecimalField(_("discount, %"), max_digits=5, decimal_places=2, default=Decimal(0))
    vat_rate = models.DecimalField(_("VAT rate, %"), max_digits=5, decimal_places=2, null=True, blank=True)
    amount_net = models.DecimalField(_("amount without VAT"), **MONEY)
    amount_vat = models.DecimalField(_("VAT"), **MONEY)
    amount_gross = models.DecimalField(_("amount"), **MONEY)

    objects = ScopedManager(client="client")

    class Meta:
        verbose_name = _("order line")
        verbose_name_plural = _("order lines")
        ordering = ["pk"]
        constraints = [models.CheckConstraint(condition=Q(quantity__gt=0), name="order_line_quantity_positive")]

    def __str__(self):
        return f"{self.article} × {self.quantity}"


class StockAllocation(models.Model):
    """Stock an order line or a hold line keeps aside at one warehouse (mirrored in Stock.reserved)."""

    client = models.ForeignKey("customers.Client", on_delete=models.PROTECT, related_name="+")
    order_line = models.ForeignKey(
        OrderLine, on_delete=models.CASCADE, null=True, blank=True, related_name="allocations"
    )
    hold_line = models.ForeignKey(
        "HoldLine", on_delete=models.CASCADE, null=True, blank=True, related_name="allocations"
    )
    product = models.ForeignKey("catalog.Product", on_delete=models.PROTECT, related_name="+")
    warehouse = models.ForeignKey("inventory.Warehouse", on_delete=models.PROTECT, related_name="+")
    quantity = models.DecimalField(_("quantity"), **QTY)

    objects = ScopedManager(client="client")

    class Meta:
        verbose_name = _("stock allocation")
        verbose_name_plural = _("stock allocations")
        constraints = [
            models.CheckConstraint(condition=Q(quantity__gt=0), name="stock_allocation_quantity_positive"),
            models.CheckConstraint(
                condition=Q(order_line__isnull=False, hold_line__isnull=True)
                | Q(order_line__isnull=True, hold_line__isnull=False),
                name="stock_allocation_one_owner",
            ),
        ]

    def __str__(self):
        return f"{self.product_id}@{self.warehouse_id} × {self.quantity}"


class OrderEvent(models.Model):
    """The order's timeline: every status change with who, when and why."""

    client = models.ForeignKey("customers.Client", on_delete=models.PROTECT, related_name="+")
    order = models.ForeignKey(Order, on_delete=models.CASCADE, related_name="events")
    status_from = models.CharField(_("previous status"), max_length=20, choices=OrderStatus.choices, blank=True)
    status_to = models.CharField(_("new status"), max_length=20, choices=OrderStatus.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    comment = models.TextField(_("comment"), blank=True)
    created_at = models.DateTimeField(_("when"), auto_now_add=True, db_index=True)

    objects = ScopedManager(client="client")

    class Meta:
        verbose_name = _("order event")
        verbose_name_plural = _("order events")
        ordering = ["created_at", "pk"]

    def __str__(self):
        return f"{self.order_id}: {self.status_from} → {self.status_to}"


class ApprovalRule(TimeStampedModel):
    """A company's rule: orders above an amount, or placed by chosen purchasers, need the admin's approval."""

    client = models.ForeignKey("customers.Client", on_delete=models.CASCADE, related_name="+")
    amount_above = models.DecimalField(_("orders above, incl. VAT"), **MONEY, null=True, blank=True)
    purchasers = models.ManyToManyField(
        settings.AUTH_USER_MODEL, verbose_name=_("orders by these purchasers"), blank=True, related_name="+"
    )
    is_active = models.BooleanField(pgettext_lazy("approval rule", "active"), default=True)

    objects = ScopedManager(client="client")

    class Meta:
        verbose_name = _("approval rule")
        verbose_name_plural = _("approval rules")

    def __str__(self):
        return str(self.amount_above or "")


class HoldStatus(models.TextChoices):
    ACTIVE = "active", _("active")
    RELEASED = "released", _("released")
    EXPIRED = "expired", _("expired")
    CONVERTED = "converted", _("converted to an order")


class Hold(TimeStampedModel):
    """Goods put aside for a few days without an order; released on expiry by a task."""

    client = models.ForeignKey("customers.Client", on_delete=models.CASCADE, related_name="+")
    legal_entity = models.ForeignKey("customers.LegalEntity", on_delete=models.PROTECT, related_name="+")
    contract = models.ForeignKey("customers.Contract", on_delete=models.PROTECT, related_name="+")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    status = models.CharField(_("status"), max_length=16, choices=HoldStatus.choices, default=HoldStatus.ACTIVE)
    expires_at = models.DateTimeField(_("expires at"), db_index=True)
    order = models.ForeignKey(Order, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")

    objects = ScopedManager(client="client")

    class Meta:
        verbose_name = _("reservation")
        verbose_name_plural = _("reservations")
        ordering = ["-created_at"]

    def __str__(self):
        return f"{self.pk} ({self.get_status_display()})"


class HoldLine(models.Model):
    client = models.ForeignKey("customers.Client", on_delete=models.CASCADE, related_name="+")
    hold = models.ForeignKey(Hold, on_delete=models.CASCADE, related_name="lines")
    product = models.ForeignKey("catalog.Product", on_delete=models.PROTECT, related_name="+")
    quantity = models.DecimalField(_("quantity"), **QTY)

    objects = ScopedManager(client="client")

    class Meta:
        verbose_name = _("reservation line")
        verbose_name_plural = _("reservation lines")
        constraints = [models.CheckConstraint(condition=Q(quantity__gt=0), name="hold_line_quantity_positive")]

    def __str__(self):
        return f"{self.product_id} × {self.quantity}"


class DemandPlanStatus(models.TextChoices):
    DRAFT = "draft", _("draft")
    SUBMITTED = "submitted", _("submitted")
    CONFIRMED = "confirmed", pgettext_lazy("demand plan", "confirmed")
    ORDERED = "ordered", _("ordered")


class DemandPlan(TimeStampedModel):
    """A planned month (плановая заявка): the customer's expected quantities, confirmed by the manager."""

    client = models.ForeignKey("customers.Client", on_delete=models.CASCADE, related_name="+")
    legal_entity = models.ForeignKey("customers.LegalEntity", on_delete=models.PROTECT, related_name="+")
    contract = models.ForeignKey("customers.Contract", on_delete=models.PROTECT, related_name="+")
    month = models.DateField(_("month"), help_text=_("The first day of the month."))
    status = models.CharField(
        _("status"), max_length=16, choices=DemandPlanStatus.choices, default=DemandPlanStatus.DRAFT
    )
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    confirmed_at = models.DateTimeField(null=True, blank=True)
    manager_comment = models.TextField(_("manager's comment"), blank=True)
    order = models.ForeignKey(Order, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")

    objects = ScopedManager(client="client")

    class Meta:
        verbose_name = _("demand plan")
        verbose_name_plural = _("demand plans")
        ordering = ["month"]
        constraints = [models.UniqueConstraint(fields=["contract", "month"], name="demand_plan_contract_month_unique")]

    def __str__(self):
        return f"{self.month:%m.%Y}"


class DemandPlanLine(models.Model):
    client = models.ForeignKey("customers.Client", on_delete=models.CASCADE, related_name="+")
    plan = models.ForeignKey(DemandPlan, on_delete=models.CASCADE, related_name="lines")
    product = models.ForeignKey("catalog.Product", on_delete=models.PROTECT, related_name="+")
    quantity = models.DecimalField(_("planned quantity"), **QTY)
    confirmed_quantity = models.DecimalField(_("confirmed quantity"), **QTY, null=True, blank=True)

    objects = ScopedManager(client="client")

    class Meta:
        verbose_name = _("demand plan line")
        verbose_name_plural = _("demand plan lines")
        ordering = ["pk"]
        constraints = [models.UniqueConstraint(fields=["plan", "product"], name="demand_plan_line_product_unique")]

    def __str__(self):
        return f"{self.product_id} × {self.quantity}"
