"""factory-boy factories with valid Russian requisites. Use them inside ``scopes_disabled()``
(the autouse fixture in conftest does that for test bodies)."""

import datetime as dt

import factory
from factory.django import DjangoModelFactory

from optovik.accounts.models import User
from optovik.core import requisites
from optovik.customers import models as m

PASSWORD = "correct-horse-battery"


class UserFactory(DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"user{n}@example.com")
    first_name = factory.Faker("first_name", locale="ru_RU")
    last_name = factory.Faker("last_name", locale="ru_RU")
    password = factory.PostGenerationMethodCall("set_password", PASSWORD)

    @factory.post_generation
    def _save(obj, create, extracted, **kwargs):
        if create:
            obj.save()


class StaffFactory(UserFactory):
    is_staff = True
    staff_role = User.StaffRole.MANAGER


def _bik(n: int) -> str:
    return f"0445{n % 100000:05d}"


class SellerOrganizationFactory(DjangoModelFactory):
    class Meta:
        model = m.SellerOrganization

    legal_form = "ООО"
    short_name = factory.Sequence(lambda n: f"ООО «Поставщик {n}»")
    full_name = factory.LazyAttribute(lambda o: o.short_name.replace("ООО", "Общество с ограниченной ответственностью"))
    inn = factory.Sequence(lambda n: requisites.inn_complete(f"77{n + 1000000:07d}"))
    kpp = "770101001"
    ogrn = factory.Sequence(lambda n: requisites.ogrn_complete(f"1027700{n + 10000:05d}"))
    legal_address = "г. Москва, ул. Складская, д. 1"
    bank_name = "ПАО Сбербанк"
    bik = "044525225"
    correspondent_account = "30101810400000000225"
    settlement_account = factory.Sequence(
        lambda n: requisites.settlement_account_complete(f"407028100{n:011d}", "044525225")
    )
    director_name = "Иванов Иван Иванович"


class ClientFactory(DjangoModelFactory):
    class Meta:
        model = m.Client

    name = factory.Sequence(lambda n: f"Клиент {n}")


class LegalEntityFactory(DjangoModelFactory):
    class Meta:
        model = m.LegalEntity

    client = factory.SubFactory(ClientFactory)
    legal_form = "ООО"
    short_name = factory.Sequence(lambda n: f"ООО «Покупатель {n}»")
    full_name = factory.LazyAttribute(lambda o: o.short_name.replace("ООО", "Общество с ограниченной ответственностью"))
    inn = factory.Sequence(lambda n: requisites.inn_complete(f"50{n + 2000000:07d}"))
    kpp = "500101001"
    ogrn = factory.Sequence(lambda n: requisites.ogrn_complete(f"1025000{n + 20000:05d}"))
    legal_address = "Московская обл., г. Химки, ул. Заводская, д. 5"


class BankAccountFactory(DjangoModelFactory):
    class Meta:
        model = m.BankAccount

    legal_entity = factory.SubFactory(LegalEntityFactory)
    bank_name = "АО «Альфа-Банк»"
    bik = "044525593"
    correspondent_account = "30101810200000000593"
    settlement_account = factory.Sequence(
        lambda n: requisites.settlement_account_complete(f"407028100{n:011d}", "044525593")
    )


class ContractFactory(DjangoModelFactory):
    class Meta:
        model = m.Contract

    legal_entity = factory.SubFactory(LegalEntityFactory)
    seller = factory.SubFactory(SellerOrganizationFactory)
    number = factory.Sequence(lambda n: f"Д-{n:04d}")
    date = dt.date(2026, 1, 15)


class MembershipFactory(DjangoModelFactory):
    class Meta:
        model = m.Membership

    user = factory.SubFactory(UserFactory)
    client = factory.SubFactory(ClientFactory)
    role = m.Role.PURCHASER


class DeliveryAddressFactory(DjangoModelFactory):
    class Meta:
        model = m.DeliveryAddress

    legal_entity = factory.SubFactory(LegalEntityFactory)
    title = factory.Sequence(lambda n: f"Склад {n}")
    address = factory.Sequence(lambda n: f"г. Москва, ул. Строителей, д. {n + 1}")
