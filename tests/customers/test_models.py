import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import translation

from optovik.core import requisites
from optovik.customers.models import DeliveryAddress, LegalEntity

from .. import factories as f

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _english():
    with translation.override("en"):
        yield


def _errors(obj) -> dict:
    with pytest.raises(ValidationError) as exc_info:
        obj.full_clean()
    return exc_info.value.message_dict


def test_legal_entity_with_a_wrong_inn_check_digit_fails_on_inn():
    le = f.LegalEntityFactory.build(client=f.ClientFactory(), inn="7707083894")
    errors = _errors(le)
    assert list(errors) == ["inn"]
    assert "wrong check digit" in errors["inn"][0]


def test_valid_legal_entity_passes_full_clean():
    f.LegalEntityFactory.build(client=f.ClientFactory()).full_clean()


def test_sole_proprietor_needs_a_12_digit_inn():
    le = f.LegalEntityFactory.build(
        client=f.ClientFactory(), legal_form="ИП", kpp="", ogrn=requisites.ogrn_complete("31966580001274")
    )
    errors = _errors(le)
    assert errors == {"inn": ["A sole proprietor's INN has 12 digits."]}
    le.inn = requisites.inn_complete("6658123904")
    le.full_clean()


def test_sole_proprietor_needs_an_ogrnip_and_an_organisation_a_kpp():
    ip = f.LegalEntityFactory.build(
        client=f.ClientFactory(), legal_form="ИП", kpp="", inn=requisites.inn_complete("6658123904")
    )
    assert "ogrn" in _errors(ip)
    company = f.LegalEntityFactory.build(client=f.ClientFactory(), kpp="")
    assert _errors(company) == {"kpp": ["An organisation has a KPP."]}


def test_bank_account_not_matching_its_bik_fails_on_that_field():
    account = f.BankAccountFactory.build(legal_entity=f.LegalEntityFactory())
    account.client = account.legal_entity.client
    account.settlement_account = "40702810000000000000"
    errors = _errors(account)
    assert list(errors) == ["settlement_account"]
    assert "control key" in errors["settlement_account"][0]


def test_deferred_payment_needs_days():
    contract = f.ContractFactory.build(
        legal_entity=f.LegalEntityFactory(), seller=f.SellerOrganizationFactory(), payment_terms="deferral"
    )
    contract.client = contract.legal_entity.client
    assert _errors(contract) == {"deferral_days": ["Deferred payment needs the number of days."]}
    contract.deferral_days = 30
    contract.full_clean()


def test_deferred_contract_without_days_is_refused_by_the_database():
    le = f.LegalEntityFactory()
    with pytest.raises(IntegrityError), transaction.atomic():
        f.ContractFactory(legal_entity=le, payment_terms="deferral", deferral_days=0)


def test_only_one_default_address_per_legal_entity():
    le = f.LegalEntityFactory()
    f.DeliveryAddressFactory(legal_entity=le, is_default=True)
    with pytest.raises(IntegrityError), transaction.atomic():
        f.DeliveryAddressFactory(legal_entity=le, is_default=True)
    f.DeliveryAddressFactory(legal_entity=le, is_default=False)
    f.DeliveryAddressFactory(legal_entity=f.LegalEntityFactory(), is_default=True)  # another entity may have one
    assert DeliveryAddress.objects.filter(legal_entity=le, is_default=True).count() == 1


def test_duplicate_inn_and_kpp_is_refused():
    le = f.LegalEntityFactory()
    twin = f.LegalEntityFactory.build(client=f.ClientFactory(), inn=le.inn, kpp=le.kpp)
    assert "__all__" in _errors(twin)
    assert LegalEntity.objects.filter(inn=le.inn).count() == 1
