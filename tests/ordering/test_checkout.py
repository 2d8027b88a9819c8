"""Placing an order: checks, prices, numbers, stock and credit."""

import datetime as dt
from decimal import Decimal

import pytest
from django.core import mail
from django.utils import timezone, translation

from optovik.core.errors import ApplicationError
from optovik.customers.models import Contract, LegalEntity, Membership
from optovik.finance.models import LedgerEntry
from optovik.finance.services import ledger_entry_create
from optovik.ordering.models import (
    ApprovalRule,
    DeliveryMethod,
    Order,
    OrderCounter,
    OrderEvent,
    OrderLine,
    OrderStatus,
    StockAllocation,
)
from optovik.ordering.services.checkout import order_place
from optovik.pricing.models import AmountDiscount
from tests import factories as f

from . import factories as of

D = Decimal


@pytest.fixture(autouse=True)
def _in_english():
    """Messages in English, the language of the msgids these tests read."""
    with translation.override("en"):
        yield


def _place(company, lines, **kw):
    params = {
        "user": company.buyer,
        "legal_entity": company.le1,
        "contract": company.c1,
        "lines": lines,
        "delivery_method": DeliveryMethod.PICKUP,
        "warehouse": of.warehouse(),
    }
    params.update(kw)
    return order_place(**params)


def _nothing_left_behind():
    assert not Order.objects.exists()
    assert not OrderLine.objects.exists()
    assert not StockAllocation.objects.exists()
    assert not OrderEvent.objects.exists()


@pytest.fixture
def goods(db):
    return type(
        "Goods",
        (),
        {
            "bolt": of.product("B-100", price="122.00", stock=50),
            "nut": of.product("N-200", price="10.00", stock=1000, pack="10", minimum="20"),
        },
    )


def test_order_copies_prices_totals_and_reserves_stock(company, goods, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        order = _place(company, [(goods.bolt.pk, D(3)), (goods.nut.pk, D(20))], po_number=" PO-7 ")

    assert order.status == OrderStatus.PLACED
    assert order.number == f"{timezone.localdate().year}-000001"
    assert order.channel == "portal"
    assert order.placed_at is not None
    assert order.po_number == "PO-7"
    lines = {line.article: line for line in order.lines.all()}
    assert lines["B-100"].price_gross == D("122.00")
    assert lines["B-100"].price_net == D("100.00")
    assert lines["B-100"].amount_gross == D("366.00")
    assert lines["B-100"].unit == "шт"
    assert order.total_gross == D("566.00")
    assert order.total_net + order.total_vat == order.total_gross
    assert order.total_weight_kg == D("11.500")
    assert of.stock_of(goods.bolt) == (D(50), D(3))
    assert of.stock_of(goods.nut) == (D(1000), D(20))
    assert sum(a.quantity for a in StockAllocation.objects.filter(order_line__order=order)) == D(23)
    event = OrderEvent.objects.get(order=order)
    assert (event.status_from, event.status_to, event.actor) == ("", OrderStatus.PLACED, company.buyer)
    assert [m.to for m in mail.outbox] == [[company.buyer.email]]


def test_price_change_after_ordering_does_not_change_the_order(company, goods):
    order = _place(company, [(goods.bolt.pk, D(1))])
    from optovik.pricing.models import Price

    Price.objects.filter(product=goods.bolt).update(price=D("999.00"))

    assert OrderLine.objects.get(order=order).price_gross == D("122.00")


def test_numbers_follow_each_other_without_gaps_after_a_refusal(company, goods):
    first = _place(company, [(goods.bolt.pk, D(1))])
    with pytest.raises(ApplicationError):
        _place(company, [(goods.bolt.pk, D(1000))])
    second = _place(company, [(goods.bolt.pk, D(1))])

    year = timezone.localdate().year
    assert [first.number, second.number] == [f"{year}-000001", f"{year}-000002"]


def test_duplicate_lines_are_merged(company, goods):
    order = _place(company, [(goods.bolt.pk, D(1)), (goods.bolt.pk, D(2))])

    assert [(line.article, line.quantity) for line in order.lines.all()] == [("B-100", D(3))]


def test_stock_is_taken_from_the_chosen_warehouse_first_then_the_next(company, db):
    main, north = of.warehouse("main", sort_order=1), of.warehouse("north", sort_order=2)
    far = of.warehouse("far", sort_order=3, pickup=False)
    bolt = of.product("B-1", stock={main: 5, north: 5, far: 5})

    order = _place(company, [(bolt.pk, D(8))], warehouse=north)

    taken = dict(StockAllocation.objects.filter(order_line__order=order).values_list("warehouse__code", "quantity"))
    assert taken == {"north": D(5), "main": D(3)}


@pytest.mark.parametrize(
    ("quantity", "message"),
    [
        (D(0), "greater than zero"),
        (D(-5), "greater than zero"),
        (D(25), "packs of 10"),
        (D(10), "minimum order quantity is 20"),
        (D("20.5"), "packs of 10"),
    ],
)
def test_bad_quantities_are_refused(company, goods, quantity, message):
    with pytest.raises(ApplicationError, match=message):
        _place(company, [(goods.nut.pk, quantity)])
    _nothing_left_behind()
    assert of.stock_of(goods.nut) == (D(1000), D(0))


def test_not_enough_stock_refuses_the_whole_order(company, goods):
    with pytest.raises(ApplicationError, match="Not enough stock of B-100: 50 available, 51 requested"):
        _place(company, [(goods.nut.pk, D(20)), (goods.bolt.pk, D(51))])
    _nothing_left_behind()
    assert of.stock_of(goods.nut) == (D(1000), D(0))


def test_product_outside_specification_is_refused(company, goods):
    Contract.objects.filter(pk=company.c1.pk).update(specification_only=True)
    company.c1.refresh_from_db()
    of.in_specification(company.c1, goods.nut)

    with pytest.raises(ApplicationError, match="B-100 cannot be ordered under this contract"):
        _place(company, [(goods.bolt.pk, D(1))])
    _nothing_left_behind()


def test_specification_limit_and_fixed_price(company, goods):
    of.in_specification(company.c1, goods.bolt, fixed_price="50.00", max_quantity=5)

    with pytest.raises(ApplicationError, match="at most 5"):
        _place(company, [(goods.bolt.pk, D(6))])
    order = _place(company, [(goods.bolt.pk, D(5))])
    assert order.total_gross == D("250.00")


def test_unpriced_product_is_refused(company, db):
    bare = of.product("X-1", price=None)
    with pytest.raises(ApplicationError, match="X-1 has no price"):
        _place(company, [(bare.pk, D(1))])
    _nothing_left_behind()


def test_amount_discount_applies_to_the_order_total(company, goods):
    AmountDiscount.objects.create(contract=company.c1, min_amount=D("1000"), percent=D(10))

    order = _place(company, [(goods.bolt.pk, D(10))])

    line = order.lines.get()
    assert line.discount_percent == D(10)
    assert line.price_gross == D("109.80")
    assert line.base_price_gross == D("122.00")


def test_expired_contract_is_refused(company, goods):
    Contract.objects.filter(pk=company.c1.pk).update(valid_until=dt.date(2020, 1, 1))
    with pytest.raises(ApplicationError, match="is not valid today"):
        _place(company, [(goods.bolt.pk, D(1))])
    _nothing_left_behind()


def test_contract_of_another_legal_entity_is_refused(company, goods):
    with pytest.raises(ApplicationError, match="does not belong"):
        _place(company, [(goods.bolt.pk, D(1))], contract=company.c2)
    _nothing_left_behind()


def test_purchaser_limited_to_one_legal_entity_cannot_order_for_the_other(company, goods):
    with pytest.raises(ApplicationError, match="You cannot order for"):
        _place(company, [(goods.bolt.pk, D(1))], legal_entity=company.le2, contract=company.c2)
    _nothing_left_behind()


def test_accountant_cannot_place_orders(company, goods):
    with pytest.raises(ApplicationError, match="does not allow placing orders"):
        _place(company, [(goods.bolt.pk, D(1))], user=company.accountant)
    _nothing_left_behind()


def test_pickup_needs_a_pickup_point(company, goods):
    depot = of.warehouse("depot", pickup=False)
    with pytest.raises(ApplicationError, match="cannot be picked up"):
        _place(company, [(goods.bolt.pk, D(1))], warehouse=depot)
    with pytest.raises(ApplicationError, match="Choose the warehouse"):
        _place(company, [(goods.bolt.pk, D(1))], warehouse=None)
    _nothing_left_behind()


def test_delivery_to_an_address_of_the_legal_entity(company, goods, other_company):
    address = f.DeliveryAddressFactory(legal_entity=company.le1)

    with pytest.raises(ApplicationError, match="delivery addresses"):
        _place(
            company,
            [(goods.bolt.pk, D(1))],
            delivery_method=DeliveryMethod.DELIVERY,
            warehouse=None,
            delivery_address=other_company.address,
        )
    with pytest.raises(ApplicationError, match="Enter the delivery address"):
        _place(company, [(goods.bolt.pk, D(1))], delivery_method=DeliveryMethod.DELIVERY, warehouse=None)
    order = _place(
        company,
        [(goods.bolt.pk, D(1))],
        delivery_method=DeliveryMethod.DELIVERY,
        warehouse=None,
        delivery_address=address,
        desired_date=timezone.localdate() + dt.timedelta(days=2),
    )
    assert order.delivery_address == address
    assert order.delivery_address_text == address.address
    new = _place(
        company,
        [(goods.bolt.pk, D(1))],
        delivery_method=DeliveryMethod.DELIVERY,
        warehouse=None,
        delivery_address_text="г. Тула, ул. Новая, 1",
    )
    assert new.delivery_address is None and new.delivery_address_text == "г. Тула, ул. Новая, 1"


def test_desired_date_in_the_past_is_refused(company, goods):
    with pytest.raises(ApplicationError, match="desired date"):
        _place(company, [(goods.bolt.pk, D(1))], desired_date=timezone.localdate() - dt.timedelta(days=1))
    _nothing_left_behind()


# Credit limit and overdue debt --------------------------------------------------------------


def _admin_place(company, lines, **kw):
    return _place(company, lines, user=company.admin, legal_entity=company.le2, contract=company.c2, **kw)


def test_credit_limit_counts_debt_open_orders_and_this_order(company, goods):
    Contract.objects.filter(pk=company.c2.pk).update(credit_limit=D("1000.00"))
    company.c2.refresh_from_db()
    today = timezone.localdate()
    ledger_entry_create(contract=company.c2, kind="shipment", date=today, debit=D("500.00"), due_date=today)
    _admin_place(company, [(goods.bolt.pk, D(2))])  # 244.00 open

    # 500 debt + 244 open + 366 = 1110 > 1000
    with pytest.raises(ApplicationError, match=r"exceeds the contract's credit limit: 256\.00 is left of 1.000\.00"):
        _admin_place(company, [(goods.bolt.pk, D(3))])
    assert Order.objects.count() == 1
    assert of.stock_of(goods.bolt) == (D(50), D(2))

    ledger_entry_create(contract=company.c2, kind="payment", date=today, credit=D("500.00"))
    assert _admin_place(company, [(goods.bolt.pk, D(3))]).status == OrderStatus.PLACED


def test_overdue_debt_blocks_orders_when_the_contract_says_so(company, goods):
    today = timezone.localdate()
    ledger_entry_create(
        contract=company.c2,
        kind="shipment",
        date=today - dt.timedelta(days=40),
        debit=D("300.00"),
        due_date=today - dt.timedelta(days=10),
    )
    with pytest.raises(ApplicationError, match=r"overdue debt of 300\.00"):
        _admin_place(company, [(goods.bolt.pk, D(1))])
    assert not Order.objects.exists()

    Contract.objects.filter(pk=company.c2.pk).update(overdue_blocks_orders=False)
    company.c2.refresh_from_db()
    assert _admin_place(company, [(goods.bolt.pk, D(1))]).status == OrderStatus.PLACED


def test_paid_overdue_debt_no_longer_blocks(company, goods):
    today = timezone.localdate()
    ledger_entry_create(
        contract=company.c2, kind="shipment", date=today - dt.timedelta(days=40), debit=D("300.00"),
        due_date=today - dt.timedelta(days=10),
    )  # fmt: skip
    ledger_entry_create(contract=company.c2, kind="payment", date=today, credit=D("300.00"))

    assert _admin_place(company, [(goods.bolt.pk, D(1))]).status == OrderStatus.PLACED
    assert LedgerEntry.objects.count() == 2


# Approval ----------------------------------------------------------------------------------


def test_order_above_the_rule_amount_awaits_approval(company, goods):
    ApprovalRule.objects.create(client=company.client, amount_above=D("300.00"))

    small = _place(company, [(goods.bolt.pk, D(2))])
    big = _place(company, [(goods.bolt.pk, D(3))])

    assert small.status == OrderStatus.PLACED
    assert big.status == OrderStatus.AWAITING_APPROVAL
    assert OrderEvent.objects.get(order=big).status_to == OrderStatus.AWAITING_APPROVAL
    assert of.stock_of(goods.bolt) == (D(50), D(5))


def test_invoice_is_issued_with_the_order_when_the_supplier_wants_it(company, goods, settings):
    from optovik.finance.models import Invoice

    settings.FINANCE_INVOICE_AUTO_ISSUE = False
    first = _place(company, [(goods.bolt.pk, Decimal(1))])
    assert not Invoice.objects.filter(order=first).exists()

    settings.FINANCE_INVOICE_AUTO_ISSUE = True
    second = _place(company, [(goods.bolt.pk, Decimal(2))])
    invoice = Invoice.objects.get(order=second)
    assert invoice.total_gross == second.total_gross


def test_orders_by_a_rule_purchaser_await_approval_inactive_and_other_rules_do_not_apply(company, goods, other_company):
    ApprovalRule.objects.create(client=company.client, amount_above=D("1.00"), is_active=False)
    ApprovalRule.objects.create(client=other_company.client, amount_above=D("1.00"))
    assert _place(company, [(goods.bolt.pk, D(1))]).status == OrderStatus.PLACED

    ApprovalRule.objects.create(client=company.client).purchasers.set([company.buyer])
    assert _place(company, [(goods.bolt.pk, D(1))]).status == OrderStatus.AWAITING_APPROVAL
    admin_order = _place(company, [(goods.bolt.pk, D(1))], user=company.admin)
    assert admin_order.status == OrderStatus.PLACED


# Who may order ------------------------------------------------------------------------------


def test_a_member_limited_to_legal_entities_orders_for_them(company, goods):
    order = _place(company, [(goods.bolt.pk, D(1))])  # the buyer is limited to le1

    assert order.legal_entity == company.le1 and order.placed_by == company.buyer


def test_an_accountant_who_may_order_places_orders(company, goods):
    Membership.objects.filter(user=company.accountant).update(can_place_orders=True)

    assert _place(company, [(goods.bolt.pk, D(1))], user=company.accountant).status == OrderStatus.PLACED


def test_a_deactivated_member_or_another_company_s_user_cannot_order(company, goods, other_company):
    with pytest.raises(ApplicationError, match="You cannot order for this company"):
        _place(company, [(goods.bolt.pk, D(1))], user=other_company.buyer)
    Membership.objects.filter(user=company.buyer).update(is_active=False)
    with pytest.raises(ApplicationError, match="You cannot order for this company"):
        _place(company, [(goods.bolt.pk, D(1))])
    _nothing_left_behind()


def test_a_limit_to_legal_entities_that_are_all_inactive_limits_nothing(company, goods):
    # As before: only active legal entities count as a limit.
    LegalEntity.objects.filter(pk=company.le1.pk).update(is_active=False)

    order = _place(company, [(goods.bolt.pk, D(1))], legal_entity=company.le2, contract=company.c2)

    assert order.legal_entity == company.le2


def test_a_manager_ordering_for_the_customer_is_not_checked_as_a_member(company, goods):
    manager = f.StaffFactory(email="sales@example.com")

    order = _place(company, [(goods.bolt.pk, D(1))], user=manager, channel="manager")

    assert order.channel == "manager" and order.status == OrderStatus.PLACED


# Numbers and queries ------------------------------------------------------------------------


def test_numbers_past_999999_keep_all_their_digits(company, goods):
    year = timezone.localdate().year
    OrderCounter.objects.create(year=year, last_number=999_999)

    order = _place(company, [(goods.bolt.pk, D(1))])

    assert order.number == f"{year}-1000000"
    assert Order.objects.get(pk=order.pk).number == order.number


def test_the_first_order_of_a_year_starts_its_counter(company, goods):
    year = timezone.localdate().year
    OrderCounter.objects.create(year=year - 1, last_number=41)

    order = _place(company, [(goods.bolt.pk, D(1))])

    assert order.number == f"{year}-000001"
    assert dict(OrderCounter.objects.values_list("year", "last_number")) == {year - 1: 41, year: 1}


def test_an_order_runs_the_same_few_queries_whatever_its_size(company, db, django_assert_num_queries):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    products = [of.product(f"Q-{n}", stock=100) for n in range(12)]
    details = {"user": company.buyer, "legal_entity": company.le1, "contract": company.c1}
    details.update(delivery_method=DeliveryMethod.PICKUP, warehouse=of.warehouse())
    order_place(lines=[(products[0].pk, D(1))], **details)  # the year's counter exists from here on
    with CaptureQueriesContext(connection) as one:
        order_place(lines=[(products[1].pk, D(1))], **details)
    with django_assert_num_queries(len(one.captured_queries)):
        order = order_place(lines=[(p.pk, D(2)) for p in products[2:]], **details)
    assert order.lines.count() == 10
    # The contract with the member, the products, the prices (2), the credit, the order, its lines,
    # the stock (3), the products' available totals (2, and their lock on PostgreSQL), the event, the
    # number (one statement on PostgreSQL, two on SQLite) — and the savepoint of the test's
    # transaction and its release.
    assert len(one.captured_queries) == 17


def test_an_order_from_the_cart_refused_for_stock_keeps_the_cart_and_leaves_nothing(company, goods):
    from optovik.ordering.models import CartLine
    from optovik.ordering.services.cart import cart_add_many, cart_get_or_create
    from optovik.ordering.services.checkout import order_place_from_cart

    cart = cart_get_or_create(user=company.buyer, contract=company.c1)
    cart_add_many(cart=cart, items=[(goods.nut.pk, D(20)), (goods.bolt.pk, D(51))])
    details = {"delivery_method": DeliveryMethod.PICKUP, "warehouse": of.warehouse()}

    with pytest.raises(ApplicationError, match="Not enough stock of B-100"):
        order_place_from_cart(cart=cart, user=company.buyer, legal_entity=company.le1, **details)
    _nothing_left_behind()
    assert CartLine.objects.filter(cart=cart).count() == 2
    assert of.stock_of(goods.nut) == (D(1000), D(0))

    CartLine.objects.filter(cart=cart, product=goods.bolt).update(quantity=D(1))
    order = order_place_from_cart(cart=cart, user=company.buyer, legal_entity=company.le1, **details)
    assert order.number == f"{timezone.localdate().year}-000001"
    assert not CartLine.objects.filter(cart=cart).exists()
