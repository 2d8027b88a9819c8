"""Timings of the printed forms: invoice (20 lines), UPD (200 lines), reconciliation act (1,000
entries), each rendered ~30 times with different figures. Prints p50 / p95 of the wall time and
the p50 of the CPU time in milliseconds.

    python bench/bench_documents.py [runs]
"""

# Django is set up before the project is imported.
# ruff: noqa: E402

import os
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "optovik.config.settings.test")

import django

django.setup()

import datetime
import statistics
import time
from decimal import Decimal

from optovik.documents.qr import payment_qr_payload, payment_qr_svg
from optovik.documents.render import (
    ActDoc,
    ActMovement,
    InvoiceDoc,
    InvoiceLine,
    Party,
    UpdDoc,
    UpdLine,
    act_xlsx,
    render_act_pdf,
    render_invoice_pdf,
    render_upd_pdf,
)

SELLER = Party(
    name='ООО "Оптовик Снаб"',
    inn="7707083893",
    kpp="773601001",
    address="101000, г. Москва, ул. Мясницкая, д. 1",
    bank_name="ПАО Сбербанк, г. Москва",
    bik="044525225",
    account="40702810938000012345",
    correspondent_account="30101810400000000225",
    director="Иванов И. И.",
    chief_accountant="Петрова А. А.",
)
BUYER = Party(name='ООО "СтройМаркет"', inn="5001000001", kpp="500101001", address="141000, г. Мытищи, ул. Мира, д. 5")
RATES = (Decimal(22), Decimal(10), Decimal(0), None)
DAY = datetime.date(2026, 11, 23)


def line_fields(run: int, i: int) -> dict:
    return {
        "name": f"Саморез кровельный 4,8×{19 + i} мм, оцинкованный",
        "quantity": Decimal(i % 9 + 1),
        "unit": "шт",
        "price": Decimal("123.45") + i + run,
        "vat_rate": RATES[i % 4],
        "code": f"A-{1000 + i}",
    }


def invoice(run: int, lines: int = 20) -> InvoiceDoc:
    return InvoiceDoc(
        number=str(1000 + run),
        date=DAY,
        seller=SELLER,
        buyer=BUYER,
        lines=tuple(InvoiceLine(**line_fields(run, i)) for i in range(lines)),
        due_date=DAY + datetime.timedelta(days=5),
    )


def upd(run: int, lines: int = 200) -> UpdDoc:
    return UpdDoc(
        number=str(2000 + run),
        date=DAY,
        status=1,
        seller=SELLER,
        buyer=BUYER,
        lines=tuple(UpdLine(unit_code="796", **line_fields(run, i)) for i in range(lines)),
    )


def act(run: int, movements: int = 1000) -> ActDoc:
    start = datetime.date(2026, 1, 1)
    entries = []
    for i in range(movements):
        day = start + datetime.timedelta(days=i * 364 // movements)
        amount = Decimal(1000 + i * 7 + run) + Decimal("0.45")
        if i % 3 == 2:
            entries.append(ActMovement(date=day, document=f"Оплата (№ {i} от {day:%d.%m.%y})", credit=amount))
        else:
            entries.append(ActMovement(date=day, document=f"Продажа (№ {i} от {day:%d.%m.%y})", debit=amount))
    return ActDoc(
        seller=SELLER,
        buyer=BUYER,
        period_start=start,
        period_end=datetime.date(2026, 12, 31),
        opening_balance=Decimal(run),
        movements=tuple(entries),
    )


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))]


def qr_payload(run: int) -> str:
    return payment_qr_payload(
        payee_name=SELLER.name,
        account=SELLER.account,
        bank_name=SELLER.bank_name,
        bik=SELLER.bik,
        correspondent_account=SELLER.correspondent_account,
        amount=Decimal("12345.67") + run,
        purpose=f"Оплата по счёту № {1000 + run} от 23.11.2026, в т.ч. НДС (22%) 2 226,15 руб.",
        payee_inn=SELLER.inn,
        payee_kpp=SELLER.kpp,
        payer_inn=BUYER.inn,
    )


def measure(name: str, build, render, runs: int) -> None:
    """Renders ``runs`` different documents; wall time is what a caller waits, CPU time (all
    threads of the process) shows the work when other processes compete for the cores."""
    render(build(-1))  # warm-up: fonts and templates are loaded once per process
    wall, cpu = [], []
    for run in range(runs):
        doc = build(run)
        started, started_cpu = time.perf_counter(), time.process_time()
        render(doc)
        wall.append((time.perf_counter() - started) * 1000)
        cpu.append((time.process_time() - started_cpu) * 1000)
    print(
        f"{name:<40} p50 {statistics.median(wall):7.1f} ms   p95 {percentile(wall, 0.95):7.1f} ms"
        f"   cpu p50 {statistics.median(cpu):7.1f} ms"
    )


def main() -> None:
    runs = int(sys.argv[1]) if len(sys.argv) > 1 else 30
    measure("invoice, 20 lines (PDF)", invoice, render_invoice_pdf, runs)
    # Part of the invoice's time: the QR code (segno evaluates all eight mask patterns, as
    # ISO/IEC 18004 asks). Rendering the same invoice again reuses the cached code.
    measure("  of which: payment QR code (SVG)", qr_payload, payment_qr_svg.__wrapped__, runs)
    measure("UPD, 200 lines (PDF)", upd, render_upd_pdf, runs)
    measure("reconciliation act, 1000 (PDF)", act, render_act_pdf, runs)
    measure("reconciliation act, 1000 (XLSX)", act, act_xlsx, runs)


if __name__ == "__main__":
    main()
