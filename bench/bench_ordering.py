"""Ordering benchmarks:

1. checkout of a 50-line cart (``order_place_from_cart``: checks, prices, credit, stock, number):
   p50 / p95 in milliseconds;
2. order placement throughput with concurrent buyers (threads with their own connections, each
   under its own contract, all drawing on the same stock and the same order counter): orders/s
   (target ≥ 100 on PostgreSQL on a 2-core machine), with what does not depend on the machine's
   load: the queries of one order, the application's CPU time per order and — when PostgreSQL
   runs on this machine — the database server's CPU time per order;
3. the cart page with 200 lines through Django's test client (target p95 ≤ 150 ms) and its query
   count, which must be the same as with 10 lines.

    python bench/bench_ordering.py [--runs 30] [--buyers 8] [--orders 400]

Uses the database of ``DATABASE_URL`` (a throwaway PostgreSQL: ``scripts/pg start DIR PORT``) or a
temporary SQLite file, migrates it and fills it.
"""

import argparse
import os
import statistics
import sys
import tempfile
import threading
import time
from decimal import Decimal
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench import common  # noqa: E402
from bench.common import buyer_company, percentile  # noqa: E402

PRODUCTS = 400


def setup_django(workdir: Path) -> None:
    import logging

    common.setup_django(workdir)
    from django.conf import settings

    # Notifications are enqueued after commit and sent by a worker: here they are only recorded, so
    # the figures are those of placing orders, not of rendering and sending e-mail.
    settings.TASKS = {"default": {"BACKEND": "django.tasks.backends.dummy.DummyBackend"}}
    from django.tasks import task_backends

    task_backends._settings = None  # read the setting again
    task_backends.__dict__.pop("settings", None)
    for alias in list(task_backends.settings):
        if hasattr(task_backends._connections, alias):
            delattr(task_backends._connections, alias)
    logging.disable(logging.INFO)
    common.migrate()


def fill(contracts: int):
    """A client with one legal entity, ``contracts`` contracts, an admin, priced products with
    plenty of stock at two pickup warehouses."""
    import datetime as dt

    from django_scopes import scopes_disabled

    from optovik.accounts.models import User
    from optovik.catalog.models import Category, Product, Unit, VatRate
    from optovik.customers.models import Contract, Membership, Role
    from optovik.inventory.models import Stock, Warehouse
    from optovik.pricing.models import Price, PriceType

    with scopes_disabled():
        seller, client, le = buyer_company(n=2, client_name="Бенч-заказы", le_name="Покупатель")
        deals = [
            Contract.objects.create(legal_entity=le, seller=seller, number=f"БЗ-{i}", date=dt.date(2025, 1, 1))
            for i in range(contracts)
        ]
        user = User.objects.create_user(email="buyer@bench.example", password=None)
        Membership.objects.create(user=user, client=client, role=Role.ADMIN)
        vat = VatRate.objects.get_or_create(code="vat22", defaults={"name": "22%", "rate": Decimal(22)})[0]
        unit = Unit.objects.get_or_create(okei_code="796", defaults={"name": "шт"})[0]
        category = Category.objects.create(name="Бенч", slug="bench-orders")
        category.path = f"/{category.pk}/"
        category.save(update_fields=["path"])
        price_type = PriceType.objects.filter(is_default=True).first() or PriceType.objects.create(
            name="Опт", code="bench-wholesale", is_default=True
        )
        Product.objects.bulk_create(
            [
                Product(
                    article=f"BZ-{i:05d}",
                    name=f"Товар {i}",
                    category=category,
                    unit=unit,
                    vat_rate=vat,
                    weight_kg=Decimal("0.250"),
                    volume_m3=Decimal("0.000500"),
                )
                for i in range(PRODUCTS)
            ],
            batch_size=500,
        )
        products = list(Product.objects.filter(article__startswith="BZ-").order_by("article"))
        Price.objects.bulk_create(
            [Price(product=p, price_type=price_type, price=Decimal(100 + i % 900)) for i, p in enumerate(products)]
        )
        warehouses = [
            Warehouse.objects.create(name=f"Склад {n}", code=f"bench-{n}", is_pickup_point=True, sort_order=n)
            for n in range(2)
        ]
        Stock.objects.bulk_create(
            [Stock(product=p, warehouse=w, on_hand=Decimal(1_000_000)) for p in products for w in warehouses],
            batch_size=1000,
        )
    return user, le, deals, products, warehouses


def bench_checkout(user, le, contract, products, warehouse, runs: int) -> list[float]:
    from django_scopes import scopes_disabled

    from optovik.ordering.services.cart import cart_add_many, cart_get_or_create
    from optovik.ordering.services.checkout import order_place_from_cart

    timings = []
    with scopes_disabled():
        cart = cart_get_or_create(user=user, contract=contract)
        for run in range(runs):
            chosen = products[(run * 7) % 300 : (run * 7) % 300 + 50]
            cart_add_many(cart=cart, items=[(p.pk, Decimal(1 + run % 3)) for p in chosen])
            started = time.perf_counter()
            order_place_from_cart(cart=cart, user=user, legal_entity=le, delivery_method="pickup", warehouse=warehouse)
            timings.append((time.perf_counter() - started) * 1000)
    return timings


def _server_cpu(connection) -> float | None:
    """CPU seconds used so far by the PostgreSQL backend serving ``connection``, when the server
    runs on this machine (read from /proc); None otherwise."""
    if connection.vendor != "postgresql":
        return None
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        pid = cursor.fetchone()[0]
    try:
        with open(f"/proc/{pid}/stat") as stat:
            fields = stat.read().rsplit(")", 1)[1].split()
    except OSError:
        return None
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def bench_throughput(
    user, le, contracts, products, warehouses, total: int
) -> tuple[float, int, int, float, float | None]:
    """(orders per second, placed, failed, CPU ms of this process per order, CPU ms of the
    database server per order or None) with one thread per contract."""
    from django.db import connection
    from django_scopes import scopes_disabled

    from optovik.ordering.services.checkout import order_place

    per_buyer = total // len(contracts)
    barrier = threading.Barrier(len(contracts) + 1)
    results = {"placed": 0, "failed": 0, "server_cpu": 0.0, "server_known": True}
    lock = threading.Lock()

    def buyer(index: int):
        placed = failed = 0
        server_start = server_end = None
        try:
            with scopes_disabled():
                server_start = _server_cpu(connection)
                barrier.wait()
                for n in range(per_buyer):
                    start = (index * 31 + n * 5) % (len(products) - 5)
                    lines = [(p.pk, Decimal(1)) for p in products[start : start + 5]]
                    try:
                        order_place(
                            user=user, legal_entity=le, contract=contracts[index], lines=lines,
                            delivery_method="pickup", warehouse=warehouses[n % 2],
                        )  # fmt: skip
                        placed += 1
                    except Exception:
                        failed += 1
                server_end = _server_cpu(connection)
        finally:
            connection.close()
            with lock:
                results["placed"] += placed
                results["failed"] += failed
                if server_start is None or server_end is None:
                    results["server_known"] = False
                else:
                    results["server_cpu"] += server_end - server_start

    threads = [threading.Thread(target=buyer, args=(i,)) for i in range(len(contracts))]
    for t in threads:
        t.start()
    barrier.wait()
    started, cpu = time.perf_counter(), time.process_time()
    for t in threads:
        t.join()
    elapsed, cpu = time.perf_counter() - started, time.process_time() - cpu
    placed = results["placed"]
    server = results["server_cpu"] * 1000 / max(placed, 1) if results["server_known"] else None
    return placed / elapsed, placed, results["failed"], cpu * 1000 / max(placed, 1), server


def bench_throughput_processes(
    user, le, contracts, products, warehouses, total: int, processes: int
) -> tuple[float, int, int]:
    """(orders per second, placed, failed) with ``processes`` worker processes — as a site runs
    several web workers — each placing orders for its share of the contracts, one thread per contract."""
    import multiprocessing

    from django.db import connections

    connections.close_all()  # each process opens its own connections
    ctx = multiprocessing.get_context("fork")
    queue = ctx.Queue()
    start_event = ctx.Event()
    shares = [contracts[i::processes] for i in range(processes)]

    def worker(share):
        start_event.wait()
        _rate, placed, failed, _cpu, _server = bench_throughput(
            user, le, share, products, warehouses, total * len(share) // len(contracts)
        )
        queue.put((placed, failed))

    procs = [ctx.Process(target=worker, args=(share,)) for share in shares if share]
    for proc in procs:
        proc.start()
    time.sleep(1.0)  # let every process import and reach the start line
    started = time.perf_counter()
    start_event.set()
    results = [queue.get() for _ in procs]
    elapsed = time.perf_counter() - started
    for proc in procs:
        proc.join()
    placed = sum(r[0] for r in results)
    return placed / elapsed, placed, sum(r[1] for r in results)


class counting:
    """Counts the queries run inside the block."""

    count = 0

    def __enter__(self):
        from django.db import connections

        self.count = 0
        self._wrapper = connections["default"].execute_wrapper(self)
        self._wrapper.__enter__()
        return self

    def __call__(self, execute, sql, params, many, context):
        self.count += 1
        return execute(sql, params, many, context)

    def __exit__(self, *exc):
        self._wrapper.__exit__(*exc)


def queries_per_order(user, le, contract, products, warehouse) -> int:
    """The queries of one 5-line order (the year's order counter already exists)."""
    from django_scopes import scopes_disabled

    from optovik.ordering.services.checkout import order_place

    with scopes_disabled(), counting() as placed:
        order_place(
            user=user, legal_entity=le, contract=contract, lines=[(p.pk, Decimal(1)) for p in products[-5:]],
            delivery_method="pickup", warehouse=warehouse,
        )  # fmt: skip
    return placed.count


def bench_cart_page(user, contract, products, runs: int) -> tuple[list[float], int, int]:
    from django.test import Client
    from django_scopes import scopes_disabled

    from optovik.ordering.models import CartLine
    from optovik.ordering.services.cart import cart_add_many, cart_get_or_create

    with scopes_disabled():
        cart = cart_get_or_create(user=user, contract=contract)
        CartLine.objects.filter(cart=cart).delete()
        cart_add_many(cart=cart, items=[(p.pk, Decimal(2)) for p in products[:10]])
    web = Client(HTTP_ACCEPT_LANGUAGE="en")
    web.force_login(user, backend="optovik.accounts.backends.EmailBackend")
    session = web.session
    session["tenant_contract_id"] = contract.pk
    session.save()
    web.get("/cart/")
    with counting() as small:
        assert web.get("/cart/").status_code == 200
    with scopes_disabled():
        cart_add_many(cart=cart, items=[(p.pk, Decimal(2)) for p in products[10:200]])
    web.get("/cart/")
    with counting() as large:
        response = web.get("/cart/")
    assert response.status_code == 200 and response.content.count(b'class="cart-line') == 200
    timings = []
    for _ in range(runs):
        started = time.perf_counter()
        web.get("/cart/")
        timings.append((time.perf_counter() - started) * 1000)
    return timings, small.count, large.count


def bench_quick_order(user, contract, products, runs: int) -> list[float]:
    """A thousand pasted lines (article, tab, quantity) checked and added to an emptied cart, ms."""
    from django_scopes import scopes_disabled

    from optovik.catalog.models import Product
    from optovik.ordering.models import CartLine
    from optovik.ordering.services.cart import cart_get_or_create
    from optovik.ordering.services.quick_order import quick_order_add, quick_order_parse_text

    base = products[0]
    with scopes_disabled():
        Product.objects.bulk_create(
            [
                Product(
                    article=f"QO-{i}",
                    name=f"Позиция {i}",
                    category=base.category,
                    unit=base.unit,
                    vat_rate=base.vat_rate,
                )
                for i in range(1000)
            ]
        )
        text = "\n".join(f"QO-{i}\t{i % 7 + 1}" for i in range(1000))
        cart = cart_get_or_create(user=user, contract=contract)
        timings = []
        for _ in range(runs):
            CartLine.objects.filter(cart=cart).delete()
            started = time.perf_counter()
            report = quick_order_add(cart=cart, rows=quick_order_parse_text(text))
            timings.append((time.perf_counter() - started) * 1000)
            assert len(report.added) == 1000
        CartLine.objects.filter(cart=cart).delete()
    return timings


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=30)
    parser.add_argument("--buyers", type=int, default=8)
    parser.add_argument("--orders", type=int, default=400)
    parser.add_argument("--processes", type=int, default=os.cpu_count() or 2, help="worker processes for throughput")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="optovik-bench-") as tmp:
        setup_django(Path(tmp))
        from django.db import connection

        user, le, contracts, products, warehouses = fill(args.buyers + 2)
        vendor = connection.vendor
        print(f"database: {vendor}; {PRODUCTS} products, {args.buyers} concurrent buyers")

        timings = bench_checkout(user, le, contracts[0], products, warehouses[0], args.runs)
        print(
            f"checkout, 50-line cart: p50 {statistics.median(timings):.1f} ms, "
            f"p95 {percentile(timings, 0.95):.1f} ms ({args.runs} runs)"
        )

        print(f"queries of a 5-line order: {queries_per_order(user, le, contracts[1], products, warehouses[0])}")
        print(f"load average before measuring: {os.getloadavg()[0]:.1f} on {os.cpu_count()} CPUs")
        rate, placed, failed, cpu, server = bench_throughput(user, le, contracts[2:], products, warehouses, args.orders)
        server_text = "" if server is None else f", {server:.1f} ms of database server CPU"
        print(
            f"placement throughput: {rate:.0f} orders/s ({placed} placed, {failed} failed; 5 lines each; "
            f"{cpu:.1f} ms of application CPU per order{server_text})"
        )
        if vendor == "postgresql" and args.processes > 1:
            rate, placed, failed = bench_throughput_processes(
                user, le, contracts[2:], products, warehouses, args.orders, args.processes
            )
            print(
                f"placement throughput, {args.processes} processes: {rate:.0f} orders/s "
                f"({placed} placed, {failed} failed; 5 lines each)"
            )
        print(f"load average while measuring: {os.getloadavg()[0]:.1f} on {os.cpu_count()} CPUs")

        quick = bench_quick_order(user, contracts[1], products, max(5, args.runs // 3))
        print(
            f"quick order, 1,000 pasted lines: p50 {statistics.median(quick):.0f} ms, "
            f"p95 {percentile(quick, 0.95):.0f} ms ({len(quick)} runs)"
        )

        page, small, large = bench_cart_page(user, contracts[1], products, args.runs)
        print(
            f"cart page, 200 lines: p50 {statistics.median(page):.1f} ms, p95 {percentile(page, 0.95):.1f} ms; "
            f"queries: {small} with 10 lines, {large} with 200 lines"
        )
        connection.close()


if __name__ == "__main__":
    main()
