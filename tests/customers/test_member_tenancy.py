"""What a member acts within, read in plain SQL on every portal request: the same rules the
ORM selectors had, and whole, correctly typed model instances."""

import datetime as dt
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from optovik.customers.models import Contract, Membership
from optovik.customers.selectors import member_tenancy
from optovik.pricing.models import PriceType

from .. import factories as f

pytestmark = pytest.mark.django_db


def _numbers(contracts):
    return [c.number for c in contracts]


def test_only_contracts_usable_today_newest_first(company):
    today = timezone.localdate()
    day = dt.timedelta(days=1)
    le = company.le1
    f.ContractFactory(legal_entity=le, number="ends-today", date=dt.date(2026, 3, 1), valid_until=today)
    f.ContractFactory(legal_entity=le, number="starts-today", date=dt.date(2026, 2, 1), valid_from=today)
    f.ContractFactory(legal_entity=le, number="expired", valid_until=today - day)
    f.ContractFactory(legal_entity=le, number="not-yet", valid_from=today + day)
    f.ContractFactory(legal_entity=le, number="suspended", status=Contract.Status.SUSPENDED)
    f.ContractFactory(legal_entity=le, number="closed", status=Contract.Status.CLOSED)
    found = member_tenancy(user=company.admin)
    assert _numbers(found.contracts[le.pk]) == ["ends-today", "starts-today", company.c1.number]
    assert _numbers(found.contracts[company.le2.pk]) == [company.c2.number]


def test_instances_are_whole_and_typed_as_the_orm_reads_them(company):
    company.c2.price_type = PriceType.objects.create(code="dealer", name="Дилерская")
    company.c2.valid_until = dt.date(2099, 12, 31)
    company.c2.save()
    found = member_tenancy(user=company.admin)
    contract = found.contracts[company.le2.pk][0]
    expected = Contract.objects.select_related("seller", "price_type").get(pk=company.c2.pk)
    for field in Contract._meta.concrete_fields:
        assert getattr(contract, field.attname) == getattr(expected, field.attname), field.name
    assert isinstance(contract.credit_limit, Decimal) and contract.credit_limit == Decimal(500000)
    assert contract.date == dt.date(2026, 1, 15) and contract.valid_until == dt.date(2099, 12, 31)
    assert contract.seller.short_name == expected.seller.short_name
    assert contract.price_type.name == "Дилерская"
    assert found.contracts[company.le1.pk][0].price_type is None
    assert found.membership.client.manager.email == "manager@example.com"
    assert found.membership.client.name == "СтройМаркет"
    membership = Membership.objects.get(user=company.admin)
    for field in Membership._meta.concrete_fields:
        assert getattr(found.membership, field.attname) == getattr(membership, field.attname), field.name
    contract.number = "changed"  # an instance from the database: saving it updates the row
    contract.save(update_fields=["number"])
    assert Contract.objects.get(pk=company.c2.pk).number == "changed"
    assert Contract.objects.count() == 2


def test_client_without_a_manager(other_company):
    found = member_tenancy(user=other_company.buyer)
    assert found.membership.client.manager is None
    assert [le.pk for le in found.legal_entities] == [other_company.le.pk]


def test_limited_member_acts_for_their_active_legal_entities_only(company):
    buyer = Membership.objects.get(user=company.buyer)
    assert [le.pk for le in member_tenancy(user=company.buyer).legal_entities] == [company.le1.pk]
    company.le1.is_active = False
    company.le1.save()
    # None of the entities they were limited to is active: the client's active ones, as before.
    assert [le.pk for le in member_tenancy(user=company.buyer).legal_entities] == [company.le2.pk]
    foreign = f.LegalEntityFactory()  # another client's legal entity must never come in
    buyer.legal_entities.add(foreign, company.le2)
    assert [le.pk for le in member_tenancy(user=company.buyer).legal_entities] == [company.le2.pk]


def test_unlimited_member_acts_for_every_active_legal_entity_by_name(company):
    found = member_tenancy(user=company.admin)
    names = [le.short_name for le in found.legal_entities]
    assert names == sorted(["ООО «СтройМаркет»", "ООО «СтройМаркет Регион»"])
    company.le2.is_active = False
    company.le2.save()
    found = member_tenancy(user=company.admin)
    assert [le.pk for le in found.legal_entities] == [company.le1.pk]
    assert list(found.contracts) == [company.le1.pk]


def test_no_membership_or_an_inactive_one(company):
    assert member_tenancy(user=f.UserFactory()) is None
    Membership.objects.filter(user=company.admin).update(is_active=False)
    assert member_tenancy(user=company.admin) is None


def test_membership_in_an_active_client_comes_first(company):
    blocked = f.ClientFactory(name="Закрытый", is_active=False)
    f.MembershipFactory(user=company.accountant, client=blocked, role="admin")
    found = member_tenancy(user=company.accountant)
    assert found.membership.client.pk == company.client.pk and found.membership.role == "accountant"
    Membership.objects.filter(user=company.accountant, client=company.client).update(is_active=False)
    assert member_tenancy(user=company.accountant).membership.client.is_active is False


def test_three_queries_whatever_the_number_of_entities_and_contracts(company):
    for _ in range(3):
        f.ContractFactory(legal_entity=f.LegalEntityFactory(client=company.client))
    with CaptureQueriesContext(connection) as queries:
        found = member_tenancy(user=company.admin)
    assert len(queries) == 3
    assert len(found.legal_entities) == 5 and sum(len(c) for c in found.contracts.values()) == 5


def test_switching_to_a_contract_not_usable_today_is_refused(company, login):
    client = login(company.buyer)  # acts for le1 only
    old = f.ContractFactory(legal_entity=company.le1, number="old", valid_until=dt.date(2020, 1, 1))
    client.post(reverse("portal:switch"), {"contract": old.pk})
    assert client.session.get("tenant_contract_id") != old.pk
    fresh = f.ContractFactory(legal_entity=company.le1, number="fresh", date=dt.date(2026, 5, 1))
    client.post(reverse("portal:switch"), {"contract": fresh.pk})
    assert client.session.get("tenant_contract_id") == fresh.pk
