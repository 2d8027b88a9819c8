"""What the ordering and archive benchmarks share: percentiles, Django set-up on a fresh database,
and a buyer company with a seller organization."""

import datetime as dt
import os
from pathlib import Path


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))]


def setup_django(workdir: Path) -> None:
    """Test settings on ``DATABASE_URL`` or a temporary SQLite file in ``workdir``; migrates it."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "optovik.config.settings.test")
    if not os.environ.get("DATABASE_URL"):
        os.environ["DATABASE_URL"] = f"sqlite:///{workdir / 'bench.sqlite3'}"
    os.environ["MEDIA_ROOT"] = str(workdir / "media")
    import django

    django.setup()


def migrate() -> None:
    from django.core.management import call_command

    call_command("migrate", verbosity=0)


def buyer_company(*, n: int, client_name: str, le_name: str):
    """(seller organization, client, legal entity) with valid requisites; ``n`` keeps numbers apart."""
    from optovik.core.requisites import inn_complete, ogrn_complete, settlement_account_complete
    from optovik.customers.models import Client, LegalEntity, SellerOrganization

    seller = SellerOrganization.objects.create(
        legal_form="ООО",
        short_name="ООО «Бенч-Снаб»",
        full_name="Общество с ограниченной ответственностью «Бенч-Снаб»",
        inn=inn_complete(f"77010000{n}"),
        kpp="770101001",
        ogrn=ogrn_complete(f"10277000000{n}"),
        legal_address="г. Москва",
        bank_name="ПАО Сбербанк",
        bik="044525225",
        correspondent_account="30101810400000000225",
        settlement_account=settlement_account_complete(f"4070281000000000000{n}", "044525225"),
        director_name="Иванов И. И.",
    )
    client = Client.objects.create(name=client_name)
    le = LegalEntity.objects.create(
        client=client,
        legal_form="ООО",
        short_name=f"ООО «{le_name}»",
        full_name=f"Общество с ограниченной ответственностью «{le_name}»",
        inn=inn_complete(f"50010000{n}"),
        kpp="500101001",
        legal_address="г. Химки",
    )
    return seller, client, le


CONTRACT_DATE = dt.date(2025, 1, 1)
