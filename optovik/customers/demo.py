"""Demo data of the customer side: the supplier's organizations and staff, three client companies
with their legal entities, bank accounts, delivery addresses, contracts and users.

Everything is fixed (no randomness) and written as upserts by ``external_id`` or e-mail, so running
it again changes nothing. All requisites pass the checksum validators; the banks are real ones with
their real BIK and correspondent accounts. Every demo account signs in with ``DEMO_PASSWORD``.
"""

import datetime as dt
from collections import Counter
from decimal import Decimal

from django.db import models

from optovik.accounts.models import User
from optovik.core.requisites import (
    correspondent_account_complete,
    inn_complete,
    normalize_phone,
    ogrn_complete,
    settlement_account_complete,
)

from .models import (
    BankAccount,
    Client,
    Contract,
    DeliveryAddress,
    LegalEntity,
    LegalForm,
    Membership,
    Role,
    SellerOrganization,
)

DEMO_PASSWORD = "optovik-demo"  # noqa: S105 - published demo accounts
DEMO_SELLER_EXTERNAL_ID = "demo-seller-snab"

# name, BIK, correspondent account
BANKS = {
    "sber": ("ПАО Сбербанк", "044525225", "30101810400000000225"),
    "sber_ural": ("Уральский банк ПАО Сбербанк", "046577674", "30101810500000000674"),
    "alfa": ("АО «Альфа-Банк»", "044525593", "30101810200000000593"),
    "vtb": ("Банк ВТБ (ПАО)", "044525187", "30101810700000000187"),
    "tbank": ("АО «Т-Банк»", "044525974", "30101810145250000974"),
    "bspb": ("ПАО «Банк «Санкт-Петербург»", "044030790", "30101810900000000790"),
}


def _bank(key: str, *, account_type: str, number: int) -> dict:
    """Bank details with a settlement account of the given balance type (40702 for companies,
    40802 for sole proprietors), in roubles, whose control key matches the bank's BIK."""
    name, bik, corr = BANKS[key]
    account = settlement_account_complete(f"{account_type}810" + "0" + f"{number:011d}", bik)
    return {
        "bank_name": name,
        "bik": bik,
        "correspondent_account": correspondent_account_complete(corr, bik),
        "settlement_account": account,
    }


# People --------------------------------------------------------------------------------------

STAFF_USERS = (
    {
        "email": "staff@optovik.example",
        "last_name": "Орлов",
        "first_name": "Павел",
        "middle_name": "Андреевич",
        "phone": "+7 495 120-45-01",
        "position": "Руководитель отдела продаж",
        "is_staff": True,
        "is_superuser": True,
        "staff_role": User.StaffRole.ADMINISTRATOR,
    },
    {
        "email": "manager@optovik.example",
        "last_name": "Морозов",
        "first_name": "Алексей",
        "middle_name": "Игоревич",
        "phone": "+7 495 120-45-12",
        "position": "Менеджер по работе с клиентами",
        "is_staff": True,
        "is_superuser": False,
        "staff_role": User.StaffRole.MANAGER,
    },
    {
        "email": "manager2@optovik.example",
        "last_name": "Белова",
        "first_name": "Екатерина",
        "middle_name": "Сергеевна",
        "phone": "+7 495 120-45-17",
        "position": "Менеджер по работе с клиентами",
        "is_staff": True,
        "is_superuser": False,
        "staff_role": User.StaffRole.MANAGER,
    },
)

CUSTOMER_USERS = (
    {
        "email": "admin@stroymarket.example",
        "last_name": "Петров",
        "first_name": "Сергей",
        "middle_name": "Николаевич",
        "phone": "+7 916 204-18-33",
        "position": "Коммерческий директор",
    },
    {
        "email": "buyer@stroymarket.example",
        "last_name": "Смирнова",
        "first_name": "Ольга",
        "middle_name": "Викторовна",
        "phone": "+7 926 318-72-40",
        "position": "Менеджер по закупкам",
    },
    {
        "email": "accountant@stroymarket.example",
        "last_name": "Фёдорова",
        "first_name": "Ирина",
        "middle_name": "Александровна",
        "phone": "+7 903 511-09-27",
        "position": "Главный бухгалтер",
    },
    {
        "email": "buyer@vector.example",
        "last_name": "Волков",
        "first_name": "Дмитрий",
        "middle_name": "Олегович",
        "phone": "+7 921 640-55-18",
        "position": "Начальник отдела снабжения",
    },
)

# The supplier's organizations --------------------------------------------------------------

SELLERS = (
    {
        "external_id": DEMO_SELLER_EXTERNAL_ID,
        "legal_form": LegalForm.OOO,
        "short_name": "ООО «Оптовик-Снаб»",
        "full_name": "Общество с ограниченной ответственностью «Оптовик-Снаб»",
        "inn": inn_complete("772841563"),
        "kpp": "772801001",
        "ogrn": ogrn_complete("115774631218"),
        "legal_address": "117342, г. Москва, ул. Профсоюзная, д. 104, офис 312",
        "postal_address": "117342, г. Москва, ул. Профсоюзная, д. 104, офис 312",
        "phone": "+7 495 120-45-00",
        "email": "info@optovik.example",
        **_bank("sber", account_type="40702", number=38040001274),
        "director_name": "Громов Николай Петрович",
        "director_position": "Генеральный директор",
        "chief_accountant_name": "Лебедева Марина Юрьевна",
        "vat_payer": True,
    },
    {
        "external_id": "demo-seller-ural",
        "legal_form": LegalForm.OOO,
        "short_name": "ООО «Оптовик-Урал»",
        "full_name": "Общество с ограниченной ответственностью «Оптовик-Урал»",
        "inn": inn_complete("667930214"),
        "kpp": "667901001",
        "ogrn": ogrn_complete("118665800417"),
        "legal_address": "620102, г. Екатеринбург, ул. Посадская, д. 21, офис 5",
        "postal_address": "620102, г. Екатеринбург, ул. Посадская, д. 21, офис 5",
        "phone": "+7 343 310-22-40",
        "email": "ural@optovik.example",
        **_bank("sber_ural", account_type="40702", number=16540002391),
        "director_name": "Ковалёв Игорь Станиславович",
        "director_position": "Директор",
        "chief_accountant_name": "Захарова Елена Викторовна",
        "vat_payer": True,
    },
)

# Client companies --------------------------------------------------------------------------
# Each client: its personal manager, legal entities (with one bank account, delivery addresses —
# the first is the default — and contracts), and members.

CLIENTS = (
    {
        "external_id": "demo-client-stroymarket",
        "name": "СтройМаркет",
        "manager": "manager@optovik.example",
        "comment": "Сеть строительных магазинов в Москве и области. Отгрузка со склада в Южном порту.",
        "legal_entities": (
            {
                "external_id": "demo-le-stroymarket",
                "legal_form": LegalForm.OOO,
                "short_name": "ООО «СтройМаркет»",
                "full_name": "Общество с ограниченной ответственностью «СтройМаркет»",
                "inn": inn_complete("772456718"),
                "kpp": "772401001",
                "ogrn": ogrn_complete("116774648372"),
                "legal_address": "115432, г. Москва, пр-т Андропова, д. 18, корп. 7",
                "phone": "+7 495 744-21-90",
                "email": "office@stroymarket.example",
                "bank": _bank("alfa", account_type="40702", number=1240000318),
                "addresses": (
                    {
                        "title": "Склад Южный порт",
                        "address": "115432, г. Москва, 2-й Южнопортовый пр-д, д. 16, стр. 1",
                        "contact_name": "Кириллов Андрей",
                        "contact_phone": "+7 916 771-20-44",
                        "comment": "Въезд с 8:00 до 18:00, пропуск на КПП №2.",
                    },
                    {
                        "title": "Магазин на Каширском",
                        "address": "115409, г. Москва, Каширское ш., д. 61, стр. 3",
                        "contact_name": "Яковлева Наталья",
                        "contact_phone": "+7 926 502-33-18",
                        "comment": "Разгрузка с торца здания.",
                    },
                ),
                "contracts": (
                    {
                        "external_id": "demo-contract-sm-prepay",
                        "seller": DEMO_SELLER_EXTERNAL_ID,
                        "number": "ОС-2026/014",
                        "date": dt.date(2026, 1, 12),
                        "payment_terms": Contract.PaymentTerms.PREPAYMENT,
                        "deferral_days": 0,
                        "credit_limit": None,
                    },
                    {
                        "external_id": "demo-contract-sm-deferral",
                        "seller": DEMO_SELLER_EXTERNAL_ID,
                        "number": "ОС-2026/015",
                        "date": dt.date(2026, 1, 12),
                        "payment_terms": Contract.PaymentTerms.DEFERRAL,
                        "deferral_days": 30,
                        "credit_limit": Decimal("1500000.00"),
                    },
                ),
            },
            {
                "external_id": "demo-le-stroymarket-region",
                "legal_form": LegalForm.OOO,
                "short_name": "ООО «СтройМаркет Подмосковье»",
                "full_name": "Общество с ограниченной ответственностью «СтройМаркет Подмосковье»",
                "inn": inn_complete("500172934"),
                "kpp": "500101001",
                "ogrn": ogrn_complete("119500107286"),
                "legal_address": "143912, Московская обл., г. Балашиха, ш. Энтузиастов, д. 7",
                "phone": "+7 495 744-21-95",
                "email": "region@stroymarket.example",
                "bank": _bank("vtb", account_type="40702", number=2060004117),
                "addresses": (
                    {
                        "title": "Склад Балашиха",
                        "address": "143912, Московская обл., г. Балашиха, ш. Энтузиастов, д. 7, склад 2",
                        "contact_name": "Гусев Роман",
                        "contact_phone": "+7 905 118-64-02",
                        "comment": "",
                    },
                ),
                "contracts": (
                    {
                        "external_id": "demo-contract-smr-ural",
                        "seller": "demo-seller-ural",
                        "number": "ОУ-2026/007",
                        "date": dt.date(2026, 2, 3),
                        "payment_terms": Contract.PaymentTerms.DEFERRAL,
                        "deferral_days": 14,
                        "credit_limit": Decimal("500000.00"),
                    },
                ),
            },
        ),
        "members": (
            ("admin@stroymarket.example", Role.ADMIN, ()),
            ("buyer@stroymarket.example", Role.PURCHASER, ("demo-le-stroymarket",)),
            ("accountant@stroymarket.example", Role.ACCOUNTANT, ()),
        ),
    },
    {
        "external_id": "demo-client-vector",
        "name": "Вектор",
        "manager": "manager2@optovik.example",
        "comment": "Строительная компания, Санкт-Петербург. Закупки под объекты.",
        "legal_entities": (
            {
                "external_id": "demo-le-vector",
                "legal_form": LegalForm.OOO,
                "short_name": "ООО «Вектор»",
                "full_name": "Общество с ограниченной ответственностью «Вектор»",
                "inn": inn_complete("781062947"),
                "kpp": "781001001",
                "ogrn": ogrn_complete("117784713058"),
                "legal_address": "196084, г. Санкт-Петербург, ул. Заставская, д. 33, лит. П",
                "phone": "+7 812 640-18-75",
                "email": "snab@vector.example",
                "bank": _bank("bspb", account_type="40702", number=5030001852),
                "addresses": (
                    {
                        "title": "Объект на Заставской",
                        "address": "196084, г. Санкт-Петербург, ул. Заставская, д. 33, лит. П",
                        "contact_name": "Волков Дмитрий",
                        "contact_phone": "+7 921 640-55-18",
                        "comment": "Звонить за час до приезда.",
                    },
                ),
                "contracts": (
                    {
                        "external_id": "demo-contract-vector",
                        "seller": DEMO_SELLER_EXTERNAL_ID,
                        "number": "ОС-2026/021",
                        "date": dt.date(2026, 2, 16),
                        "payment_terms": Contract.PaymentTerms.PREPAYMENT,
                        "deferral_days": 0,
                        "credit_limit": None,
                    },
                ),
            },
        ),
        "members": (("buyer@vector.example", Role.PURCHASER, ()),),
    },
    {
        "external_id": "demo-client-transshina",
        "name": "ТрансШина",
        "manager": "manager@optovik.example",
        "comment": "Шиномонтаж и продажа шин для грузового транспорта, Екатеринбург.",
        "legal_entities": (
            {
                "external_id": "demo-le-transshina",
                "legal_form": LegalForm.IP,
                "short_name": "ИП Соколов А. В.",
                "full_name": "Индивидуальный предприниматель Соколов Андрей Викторович",
                "inn": inn_complete("6658123904"),
                "kpp": "",
                "ogrn": ogrn_complete("31966580001274"),
                "legal_address": "620075, г. Екатеринбург, ул. Малышева, д. 51, кв. 14",
                "phone": "+7 912 244-80-61",
                "email": "sokolov@transshina.example",
                "bank": _bank("tbank", account_type="40802", number=200031472),
                "addresses": (
                    {
                        "title": "Шиномонтаж на Сибирском тракте",
                        "address": "620100, г. Екатеринбург, Сибирский тракт, д. 12, стр. 4",
                        "contact_name": "Соколов Андрей",
                        "contact_phone": "+7 912 244-80-61",
                        "comment": "Грузовой въезд со стороны ул. Куйбышева.",
                    },
                ),
                "contracts": (
                    {
                        "external_id": "demo-contract-transshina",
                        "seller": "demo-seller-ural",
                        "number": "ОУ-2026/011",
                        "date": dt.date(2026, 3, 2),
                        "payment_terms": Contract.PaymentTerms.DEFERRAL,
                        "deferral_days": 21,
                        "credit_limit": Decimal("250000.00"),
                    },
                ),
            },
        ),
        "members": (),
    },
)


# Writing -------------------------------------------------------------------------------------


class _Tally:
    """Counts created / updated / unchanged rows per model for the summary."""

    def __init__(self):
        self.counts: dict[str, Counter] = {}

    def note(self, model: type[models.Model], outcome: str) -> None:
        self.counts.setdefault(str(model._meta.verbose_name_plural), Counter())[outcome] += 1

    def lines(self) -> list[str]:
        return [
            f"  {name}: {c['created']} created, {c['updated']} updated, {c['unchanged']} unchanged"
            for name, c in self.counts.items()
        ]


def _differs(current, wanted) -> bool:
    if isinstance(current, models.Model) or isinstance(wanted, models.Model):
        return getattr(current, "pk", None) != getattr(wanted, "pk", None)
    return current != wanted


def _upsert(model, tally: _Tally, lookup: dict, values: dict, *, on_create=None):
    """Creates the row or brings it to ``values``; saves only when something differs."""
    obj = model.objects.filter(**lookup).first()
    if obj is None:
        obj = model(**lookup, **values)
        if on_create:
            on_create(obj)
        outcome = "created"
    else:
        changed = [k for k, v in values.items() if _differs(getattr(obj, k), v)]
        if not changed:
            tally.note(model, "unchanged")
            return obj
        for key in changed:
            setattr(obj, key, values[key])
        outcome = "updated"
    obj.full_clean()
    obj.save()
    tally.note(model, outcome)
    return obj


def _user(tally: _Tally, data: dict) -> User:
    values = {k: v for k, v in data.items() if k != "email"}
    values["phone"] = normalize_phone(values["phone"])
    values.setdefault("is_staff", False)
    values.setdefault("is_superuser", False)
    values.setdefault("staff_role", "")
    return _upsert(User, tally, {"email": data["email"]}, values, on_create=lambda u: u.set_password(DEMO_PASSWORD))


def _legal_entity(tally: _Tally, client: Client, data: dict, sellers: dict) -> LegalEntity:
    fields = {k: v for k, v in data.items() if k not in {"external_id", "bank", "addresses", "contracts", "phone"}}
    fields.update(client=client, phone=normalize_phone(data["phone"]), is_active=True)
    le = _upsert(LegalEntity, tally, {"external_id": data["external_id"]}, fields)
    bank = data["bank"]
    _upsert(
        BankAccount,
        tally,
        {"legal_entity": le, "settlement_account": bank["settlement_account"]},
        {**{k: v for k, v in bank.items() if k != "settlement_account"}, "client": client, "is_primary": True},
    )
    for i, address in enumerate(data["addresses"]):
        _upsert(
            DeliveryAddress,
            tally,
            {"legal_entity": le, "address": address["address"]},
            {
                **{k: v for k, v in address.items() if k != "address"},
                "client": client,
                "contact_phone": normalize_phone(address["contact_phone"]),
                "is_default": i == 0,
            },
        )
    for contract in data["contracts"]:
        values = {k: v for k, v in contract.items() if k not in {"external_id", "seller"}}
        values.update(
            legal_entity=le,
            client=client,
            seller=sellers[contract["seller"]],
            status=Contract.Status.ACTIVE,
            valid_from=contract["date"],
        )
        _upsert(Contract, tally, {"external_id": contract["external_id"]}, values)
    return le


def _membership(tally: _Tally, client: Client, user: User, role: str, legal_entities: list[LegalEntity]) -> None:
    membership = _upsert(Membership, tally, {"user": user, "client": client}, {"role": role, "is_active": True})
    wanted = {le.pk for le in legal_entities}
    if set(membership.legal_entities.values_list("pk", flat=True)) != wanted:
        membership.legal_entities.set(wanted)


def seed_customers(*, stdout=None) -> None:
    """Creates or refreshes the demo customer side. Call it inside ``scopes_disabled()``."""
    tally = _Tally()
    users = {data["email"]: _user(tally, data) for data in (*STAFF_USERS, *CUSTOMER_USERS)}
    sellers = {
        data["external_id"]: _upsert(
            SellerOrganization,
            tally,
            {"external_id": data["external_id"]},
            {**{k: v for k, v in data.items() if k != "external_id"}, "phone": normalize_phone(data["phone"])},
        )
        for data in SELLERS
    }
    for data in CLIENTS:
        client = _upsert(
            Client,
            tally,
            {"external_id": data["external_id"]},
            {"name": data["name"], "manager": users[data["manager"]], "comment": data["comment"], "is_active": True},
        )
        entities = {le["external_id"]: _legal_entity(tally, client, le, sellers) for le in data["legal_entities"]}
        for email, role, limited_to in data["members"]:
            _membership(tally, client, users[email], role, [entities[x] for x in limited_to])
    if stdout is not None:
        stdout.write("Customer demo data:")
        for line in tally.lines():
            stdout.write(line)
        stdout.write(f"  Demo accounts (password {DEMO_PASSWORD}): " + ", ".join(users))
