import datetime as dt
import io

import pytest
from django.core.management import call_command
from django.utils import timezone

from optovik.customers.models import Contract
from optovik.finance.acts import act_build
from optovik.finance.models import Document, Invoice, LedgerEntry, Payment, SerialNumber, Shipment
from optovik.finance.selectors import contract_balance

pytestmark = pytest.mark.django_db


def counts() -> dict[str, int]:
    return {m.__name__: m.objects.count() for m in (Document, Invoice, LedgerEntry, Payment, SerialNumber, Shipment)}


def test_demo_shows_a_balance_overdue_debt_and_an_act_and_seeding_again_changes_nothing():
    call_command("seed_demo", stdout=io.StringIO())
    first = counts()
    out = io.StringIO()
    call_command("seed_demo", stdout=out)

    assert counts() == first
    assert "Finance: 0 shipments, 0 payments, 0 invoices, 0 documents created" in out.getvalue()
    deferral = Contract.objects.get(external_id="demo-contract-sm-deferral")
    prepay = Contract.objects.get(external_id="demo-contract-sm-prepay")
    balance = contract_balance(contract=deferral)
    assert balance.balance > 0 and balance.overdue > 0
    assert contract_balance(contract=prepay).overdue == 0  # the default contract stays open for ordering
    today = timezone.localdate()
    start = LedgerEntry.objects.filter(contract=deferral).order_by("date").first().date
    act = act_build(contract=deferral, date_from=max(start, today - dt.timedelta(days=90)), date_to=today)
    assert len(act.movements) >= 5
    assert first["SerialNumber"] > 0 and first["Shipment"] >= 9
    assert Document.objects.filter(legal_entity=deferral.legal_entity, source="uploaded").exists()
