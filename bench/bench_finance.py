"""Documents archive benchmark: server-side timings of ``/documents/`` with 10,000 documents of one
legal entity (target p95 ≤ 80 ms), through Django's test client — middleware, tenancy, selector,
template; no network.

    python bench/bench_finance.py [--documents 10000] [--requests 200]

Uses the database of ``DATABASE_URL`` (a throwaway PostgreSQL: ``scripts/pg start DIR PORT``) or a
temporary SQLite file, migrates it and fills it. Prints p50 / p95 per scenario in milliseconds.
"""

import argparse
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench import common  # noqa: E402
from bench.common import buyer_company, percentile  # noqa: E402

TARGET_P95_MS = 80


def setup_django(workdir: Path) -> None:
    common.setup_django(workdir)
    common.migrate()


def fill(documents: int):
    """A client with one legal entity, its contract, an accountant, and ``documents`` archive rows."""
    import datetime as dt
    from decimal import Decimal

    from django_scopes import scopes_disabled

    from optovik.accounts.models import User
    from optovik.customers.models import Contract, Membership, Role
    from optovik.finance.models import Document, DocumentKind

    with scopes_disabled():
        seller, client, le = buyer_company(n=1, client_name="Бенч", le_name="Бенч")
        Contract.objects.create(legal_entity=le, seller=seller, number="Б-1", date=dt.date(2025, 1, 1))
        user = User.objects.create_user(email="bench@example.com", password=None)
        Membership.objects.create(user=user, client=client, role=Role.ACCOUNTANT)
        kinds = [k for k, _ in DocumentKind.choices]
        start = dt.date(2024, 1, 1)
        Document.objects.bulk_create(
            [
                Document(
                    client=client,
                    legal_entity=le,
                    kind=kinds[n % len(kinds)],
                    number=f"{n + 1:06d}",
                    date=start + dt.timedelta(days=n % 700),
                    amount=Decimal(1000 + n),
                    title=f"Документ {n + 1}",
                    source=Document.Source.UPLOADED,
                    file_name=f"doc-{n + 1}.pdf",
                    content_type="application/pdf",
                )
                for n in range(documents)
            ],
            batch_size=1000,
        )
    from django.db import connection

    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
    return user


def run(user, requests: int) -> list[tuple[str, float, float]]:
    from django.test import Client

    browser = Client()
    browser.force_login(user, backend="optovik.accounts.backends.EmailBackend")
    scenarios = {
        "baseline: requisites page": ("/account/requisites/", {}),
        "list, first page": ("/documents/", {}),
        "list, page 100": ("/documents/", {"page": 100}),
        "filter by type and period": (
            "/documents/",
            {"kind": "upd", "date_from": "2024-06-01", "date_to": "2025-06-01"},
        ),
        "search by number": ("/documents/", {"q": "0042"}),
    }
    results = []
    for name, (url, params) in scenarios.items():
        for _ in range(5):  # warm up
            browser.get(url, params)
        timings = []
        for _ in range(requests):
            started = time.perf_counter()
            response = browser.get(url, params)
            timings.append((time.perf_counter() - started) * 1000)
            assert response.status_code == 200, response.status_code
        results.append((name, statistics.median(timings), percentile(timings, 0.95)))
    return results


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--documents", type=int, default=10_000)
    parser.add_argument("--requests", type=int, default=200)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="optovik-bench-finance-") as tmp:
        setup_django(Path(tmp))
        from django.db import connection

        user = fill(args.documents)
        print(f"{connection.vendor}, {args.documents} documents, {args.requests} requests per scenario")
        worst = 0.0
        for name, p50, p95 in run(user, args.requests):
            if not name.startswith("baseline"):
                worst = max(worst, p95)
            print(f"{name:<30} p50 {p50:6.1f} ms   p95 {p95:6.1f} ms")
        print(f"target p95 ≤ {TARGET_P95_MS} ms: {'met' if worst <= TARGET_P95_MS else 'NOT met'}")


if __name__ == "__main__":
    main()
