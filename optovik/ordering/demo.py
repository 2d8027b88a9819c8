"""Demo order history: a few hundred orders over the last months for the demo clients, in every
status, some repeated, some placed out of business hours; saved lists, demand plans and the ledger
(shipments with due dates, payments, one overdue debt).

Deterministic (a fixed random seed, dates counted back from today) and idempotent: the orders carry
``external_id`` "demo-order-…" and are made only once. For speed the history is written as
consistent rows in bulk (prices from the pricing resolver, totals summed from the lines, numbers
taken from ``OrderCounter``, a timeline event per status step); stock is reserved through
``stock_allocate`` for the orders that are still open, so ``Stock.reserved`` stays in step.
"""

import datetime as dt
import random
from contextlib import contextmanager
from decimal import ROUND_HALF_UP, Decimal
from zoneinfo import ZoneInfo

from django.conf import settings
from django.utils import timezone

from optovik.catalog.models import Product
from optovik.catalog.visibility import product_visible_queryset
from optovik.core.errors import ApplicationError
from optovik.customers.models import Client, Contract, DeliveryAddress, Membership, Role
from optovik.finance.models import LedgerEntry
from optovik.inventory.models import Warehouse
from optovik.pricing.resolver import prices_resolve

from .models import (
    ApprovalRule,
    DeliveryMethod,
    DemandPlan,
    DemandPlanLine,
    DemandPlanStatus,
    Order,
    OrderChannel,
    OrderCounter,
    OrderEvent,
    OrderLine,
    OrderStatus,
    SavedList,
    SavedListLine,
)
from .services.demand import months_ahead
from .services.stock import stock_allocate

S = OrderStatus
CENT = Decimal("0.01")
PREFIX = "demo-order-"
# Orders per demo client contract (by the contract's external id).
ORDERS_PER_CONTRACT = {
    "demo-contract-sm-prepay": 110,
    "demo-contract-sm-deferral": 80,
    "demo-contract-smr-ural": 40,
    "demo-contract-vector": 50,
    "demo-contract-transshina": 40,
}
PATHS = {
    S.AWAITING_APPROVAL: [S.AWAITING_APPROVAL],
    S.PLACED: [S.PLACED],
    S.REJECTED: [S.AWAITING_APPROVAL, S.REJECTED],
    S.CANCELLED: [S.PLACED, S.CANCELLED],
    S.CONFIRMED: [S.PLACED, S.CONFIRMED],
    S.ASSEMBLING: [S.PLACED, S.CONFIRMED, S.ASSEMBLING],
    S.SHIPPED: [S.PLACED, S.CONFIRMED, S.ASSEMBLING, S.SHIPPED],
    S.DELIVERED: [S.PLACED, S.CONFIRMED, S.ASSEMBLING, S.SHIPPED, S.DELIVERED],
    S.COMPLETED: [S.PLACED, S.CONFIRMED, S.ASSEMBLING, S.SHIPPED, S.DELIVERED, S.COMPLETED],
}
# The newest orders of every contract, newest first: the open statuses are always there.
RECENT = (S.AWAITING_APPROVAL, S.PLACED, S.CONFIRMED, S.ASSEMBLING, S.SHIPPED, S.PLACED, S.DELIVERED)
COMMENTS = {
    S.CONFIRMED: "Наличие подтверждено",
    S.REJECTED: "Превышен бюджет месяца",
    S.CANCELLED: "Заказ больше не нужен",
    S.SHIPPED: "Отгружено",
}


def _say(stdout, text: str) -> None:
    if stdout is not None:
        stdout.write(text)


def _status_for(age_days: int, rng: random.Random) -> str:
    roll = rng.random()
    if age_days > 30:
        return (
            S.COMPLETED if roll < 0.82 else S.CANCELLED if roll < 0.93 else S.REJECTED if roll < 0.96 else S.DELIVERED
        )
    if age_days > 7:
        return S.COMPLETED if roll < 0.4 else S.DELIVERED if roll < 0.7 else S.SHIPPED if roll < 0.85 else S.CANCELLED
    return rng.choice([S.PLACED, S.CONFIRMED, S.ASSEMBLING, S.SHIPPED, S.AWAITING_APPROVAL])


def _placed_at(day: dt.date, rng: random.Random, tz, out_of_hours: bool) -> dt.datetime:
    if out_of_hours:
        hour = rng.choice([6, 7, 20, 21, 22, 23])
    else:
        hour = rng.randint(9, 17)
    return dt.datetime(day.year, day.month, day.day, hour, rng.randint(0, 59), rng.randint(0, 59), tzinfo=tz)


def _pool(contract: Contract) -> list[tuple[Product, object]]:
    products = list(product_visible_queryset(contract=contract).select_related("unit").order_by("pk")[:80])
    prices = prices_resolve(contract=contract, items=[(p.pk, Decimal(1)) for p in products], one_order=False)
    return [(p, prices[p.pk]) for p in products if p.pk in prices and prices[p.pk].is_priced]


def _quantity(product: Product, rng: random.Random) -> Decimal:
    pack = product.pack_multiplicity or Decimal(1)
    minimum = product.min_order_quantity or pack
    packs = max(int((minimum / pack).to_integral_value(rounding="ROUND_CEILING")), 1)
    return pack * (packs + rng.randint(0, 6))


def _numbers(year: int, count: int) -> list[str]:
    counter, _ = OrderCounter.objects.select_for_update().get_or_create(year=year)
    first = counter.last_number + 1
    counter.last_number += count
    counter.save(update_fields=["last_number"])
    return [f"{year}-{n:06d}" for n in range(first, first + count)]


@contextmanager
def _history_times(model):
    """Lets a bulk insert keep the ``created_at`` the history gives its rows (``auto_now_add``
    would stamp "now"), as fixture loading does; restored right after."""
    field = model._meta.get_field("created_at")
    field.auto_now_add = False
    try:
        yield
    finally:
        field.auto_now_add = True


class _Builder:
    def __init__(self, rng: random.Random, today: dt.date):
        self.rng, self.today = rng, today
        self.tz = ZoneInfo(settings.TIME_ZONE)
        self.pickup = list(Warehouse.objects.filter(is_active=True, is_pickup_point=True).order_by("sort_order", "pk"))
        self.plans = []  # (order, lines, status, source)

    def contract_orders(self, contract: Contract, count: int) -> None:
        pool = _pool(contract)
        members = list(
            Membership.objects.filter(client_id=contract.client_id, is_active=True)
            .exclude(role=Role.ACCOUNTANT)
            .select_related("user")
            .order_by("pk")
        )
        if not pool:
            return
        start = max(contract.date, self.today - dt.timedelta(days=365))
        span = max((self.today - start).days, 1)
        address = (
            DeliveryAddress.objects.filter(legal_entity=contract.legal_entity).order_by("-is_default", "pk").first()
        )
        history = []
        for i in range(count):
            age = int(span * (1 - (i / count) ** 0.8))
            day = self.today - dt.timedelta(days=age)
            out_of_hours = i % 9 == 4
            if day.weekday() >= 5 and not out_of_hours:
                day -= dt.timedelta(days=day.weekday() - 4)  # weekend orders only among the out-of-hours ones
            placed_at = _placed_at(day, self.rng, self.tz, out_of_hours)
            placed_at = min(placed_at, timezone.now() - dt.timedelta(minutes=30 + i))
            status = RECENT[count - 1 - i] if count - 1 - i < len(RECENT) else _status_for(age, self.rng)
            # a client without portal users orders by phone through the manager
            user = members[i % len(members)].user if members else None
            source = None
            if history and i % 8 == 5:
                source = self.rng.choice(history[-20:])
                lines = list(source[1])
            else:
                lines = [
                    (product, price, _quantity(product, self.rng))
                    for product, price in self.rng.sample(pool, k=min(len(pool), self.rng.randint(2, 9)))
                ]
            delivery = address is not None and i % 3 != 0
            order = Order(
                client_id=contract.client_id,
                legal_entity_id=contract.legal_entity_id,
                contract=contract,
                placed_by=user,
                status=status,
                channel=(
                    OrderChannel.PORTAL
                    if user is not None and i % 10
                    else self.rng.choice([OrderChannel.MANAGER, OrderChannel.PHONE])
                ),
                placed_at=placed_at,
                delivery_method=DeliveryMethod.DELIVERY if delivery else DeliveryMethod.PICKUP,
                warehouse=None if delivery or not self.pickup else self.pickup[i % len(self.pickup)],
                delivery_address=address if delivery else None,
                delivery_address_text=address.address if delivery else "",
                desired_date=(placed_at + dt.timedelta(days=2)).date(),
                contact_name=user.get_full_name() if user else "",
                contact_phone=user.phone if user else "",
                po_number=f"PO-{placed_at:%y%m}-{i + 1:03d}" if i % 4 == 0 else "",
                currency=contract.currency,
                external_id=f"{PREFIX}{contract.external_id}-{i + 1:03d}",
            )
            entry = [order, lines, status, source]
            history.append((order, lines))
            self.plans.append(entry)

    def save(self) -> list[Order]:
        self.plans.sort(key=lambda e: e[0].placed_at)
        by_year: dict[int, list] = {}
        for entry in self.plans:
            by_year.setdefault(timezone.localtime(entry[0].placed_at).year, []).append(entry)
        for year, entries in by_year.items():
            for entry, number in zip(entries, _numbers(year, len(entries)), strict=True):
                entry[0].number = number
        all_lines = []
        for order, lines, _status, _source in self.plans:
            totals = [Decimal(0)] * 3
            for product, price, quantity in lines:
                line = OrderLine(
                    client_id=order.client_id,
                    order=order,
                    product=product,
                    article=product.article,
                    name=product.name[:500],
                    unit=product.unit.name,
                    quantity=quantity,
                    price_net=price.unit_net,
                    price_gross=price.unit_gross,
                    base_price_gross=price.base_price if price.discount_percent else None,
                    discount_percent=price.discount_percent,
                    vat_rate=price.vat_rate,
                    amount_net=(price.unit_net * quantity).quantize(CENT, ROUND_HALF_UP),
                    amount_vat=(price.unit_vat * quantity).quantize(CENT, ROUND_HALF_UP),
                    amount_gross=(price.unit_gross * quantity).quantize(CENT, ROUND_HALF_UP),
                )
                totals = [totals[0] + line.amount_net, totals[1] + line.amount_vat, totals[2] + line.amount_gross]
                all_lines.append(line)
            order.total_net, order.total_vat, order.total_gross = totals
            weight = sum(((p.weight_kg or 0) * q for p, _pr, q in lines), Decimal(0))
            order.total_weight_kg = weight.quantize(Decimal("0.001"))
            order.created_at = order.placed_at
        with _history_times(Order):
            orders = Order.objects.bulk_create([e[0] for e in self.plans], batch_size=200)
        OrderLine.objects.bulk_create(all_lines, batch_size=500)
        for order, _lines, _status, source in self.plans:
            if source is not None:
                order.source_order = source[0]
                Order.objects.filter(pk=order.pk).update(source_order=source[0])
        return orders

    def reserve_open(self) -> None:
        """Open orders keep their stock; one whose stock is gone becomes cancelled."""
        for entry in self.plans:
            order, _lines, status, _source = entry
            if status not in (S.AWAITING_APPROVAL, S.PLACED, S.CONFIRMED, S.ASSEMBLING):
                continue
            try:
                stock_allocate(lines=list(order.lines.all()), preferred_warehouse_id=order.warehouse_id, owner=order)
            except ApplicationError:
                entry[2] = order.status = S.CANCELLED
                order.save(update_fields=["status"])

    def timeline(self) -> None:
        admins = {
            m.client_id: m.user_id for m in Membership.objects.filter(role=Role.ADMIN, is_active=True).order_by("-pk")
        }
        events, moments = [], []
        for order, _lines, status, _source in self.plans:
            manager_id = order.contract.legal_entity.client.manager_id
            moment = order.placed_at
            previous = ""
            order.shipped_on = None
            for step, to in enumerate(PATHS[status]):
                if step:
                    moment = min(moment + dt.timedelta(hours=self.rng.randint(2, 40)), timezone.now())
                if step == 0:
                    actor_id = order.placed_by_id
                elif to in (S.REJECTED, S.PLACED):
                    actor_id = admins.get(order.client_id)
                else:
                    actor_id = manager_id
                events.append(
                    OrderEvent(
                        client_id=order.client_id,
                        order=order,
                        status_from=previous,
                        status_to=to,
                        actor_id=actor_id,
                        comment=COMMENTS.get(to, "") if step else "",
                    )
                )
                moments.append(moment)
                if to == S.SHIPPED:
                    order.shipped_on = timezone.localtime(moment).date()
                previous = to
        for event, moment in zip(events, moments, strict=True):
            event.created_at = moment
        with _history_times(OrderEvent):
            OrderEvent.objects.bulk_create(events, batch_size=500)

    def ledger(self) -> int:
        entries = []
        shipped = [e[0] for e in self.plans if getattr(e[0], "shipped_on", None)]
        overdue_done = False
        for order in shipped:
            contract = order.contract
            due = order.shipped_on + dt.timedelta(days=contract.deferral_days or 0)
            entries.append(
                LedgerEntry(
                    client_id=order.client_id,
                    contract=contract,
                    kind=LedgerEntry.Kind.SHIPMENT,
                    date=order.shipped_on,
                    document_number=f"УПД {order.number}",
                    description=f"Отгрузка по заказу {order.number}",
                    debit=order.total_gross,
                    due_date=due,
                    order=order,
                )
            )
            unpaid_overdue = (
                not overdue_done
                and contract.external_id == "demo-contract-transshina"
                and self.today - dt.timedelta(days=45) < due < self.today - dt.timedelta(days=3)
            )
            if unpaid_overdue:
                overdue_done = True
                continue
            if due < self.today or order.status == S.COMPLETED:
                paid_on = min(due, self.today) - dt.timedelta(days=self.rng.randint(0, 3))
                entries.append(
                    LedgerEntry(
                        client_id=order.client_id,
                        contract=contract,
                        kind=LedgerEntry.Kind.PAYMENT,
                        date=max(paid_on, order.shipped_on),
                        document_number=f"п/п {order.number[-4:]}",
                        description=f"Оплата по заказу {order.number}",
                        credit=order.total_gross,
                        order=order,
                    )
                )
        LedgerEntry.objects.bulk_create(entries, batch_size=500)
        return len(entries)


def _saved_lists(pools: dict) -> int:
    made = 0
    for email, name, shared in (
        ("admin@stroymarket.example", "Ежемесячная закупка склада", True),
        ("buyer@stroymarket.example", "Объект на Профсоюзной", False),
        ("buyer@vector.example", "Стандартный заказ", True),
    ):
        membership = Membership.objects.filter(user__email=email).select_related("user").first()
        if membership is None or SavedList.objects.filter(owner=membership.user, name=name).exists():
            continue
        pool = pools.get(membership.client_id) or []
        saved = SavedList.objects.create(
            client_id=membership.client_id, owner=membership.user, name=name, shared=shared
        )
        SavedListLine.objects.bulk_create(
            SavedListLine(
                client_id=saved.client_id, saved_list=saved, product=p, quantity=_quantity(p, random.Random(i))
            )
            for i, (p, _price) in enumerate(pool[:6])
        )
        made += 1
    return made


def _demand_plans(pools: dict) -> int:
    contract = Contract.objects.filter(external_id="demo-contract-sm-prepay").select_related("legal_entity").first()
    if contract is None or not pools.get(contract.client_id):
        return 0
    manager = contract.legal_entity.client.manager
    buyer = Membership.objects.filter(client_id=contract.client_id, role=Role.ADMIN).select_related("user").first()
    made = 0
    for index, month in enumerate(months_ahead()[:2]):
        plan, created = DemandPlan.objects.get_or_create(
            contract=contract,
            month=month,
            defaults={
                "client_id": contract.client_id,
                "legal_entity": contract.legal_entity,
                "created_by": buyer.user if buyer else None,
                "status": DemandPlanStatus.CONFIRMED if index == 0 else DemandPlanStatus.SUBMITTED,
                "confirmed_by": manager if index == 0 else None,
                "confirmed_at": timezone.now() if index == 0 else None,
                "manager_comment": "Подтверждено, отгрузка частями по неделям" if index == 0 else "",
            },
        )
        if not created:
            continue
        rng = random.Random(month.toordinal())
        DemandPlanLine.objects.bulk_create(
            DemandPlanLine(
                client_id=plan.client_id,
                plan=plan,
                product=product,
                quantity=_quantity(product, rng) * 5,
                confirmed_quantity=(_quantity(product, rng) * 5) if index == 0 else None,
            )
            for product, _price in pools[contract.client_id][10:18]
        )
        made += 1
    return made


def seed_orders(*, stdout=None) -> None:
    """Creates the demo order history once, and what is missing of the lists and plans."""
    today = timezone.localdate()
    contracts = {
        c.external_id: c
        for c in Contract.objects.filter(external_id__in=ORDERS_PER_CONTRACT).select_related("legal_entity__client")
    }
    pools = {}
    for contract in contracts.values():
        pools.setdefault(contract.client_id, _pool(contract))
    stroymarket = Client.objects.filter(external_id="demo-client-stroymarket").first()
    if stroymarket and not ApprovalRule.objects.filter(client=stroymarket).exists():
        ApprovalRule.objects.create(client=stroymarket, amount_above=Decimal(500000))
    lists, plans = _saved_lists(pools), _demand_plans(pools)
    if Order.objects.filter(external_id__startswith=PREFIX).exists():
        _say(stdout, f"Ordering demo data: orders already there; {lists} lists, {plans} demand plans created.")
        return
    builder = _Builder(random.Random(2026), today)
    for external_id, count in ORDERS_PER_CONTRACT.items():
        if external_id in contracts:
            builder.contract_orders(contracts[external_id], count)
    orders = builder.save()
    builder.reserve_open()
    builder.timeline()
    ledger = builder.ledger()
    _say(
        stdout,
        f"Ordering demo data: {len(orders)} orders, {ledger} ledger entries, {lists} saved lists, "
        f"{plans} demand plans.",
    )
