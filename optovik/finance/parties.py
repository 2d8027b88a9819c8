"""Requisites as documents keep them: copied at issue into JSON, turned back into the printed
``Party`` when a document is rendered."""

from optovik.customers.models import LegalEntity, SellerOrganization
from optovik.documents.render import Party


def seller_snapshot(seller: SellerOrganization) -> dict:
    """What an issued document keeps of its seller, whatever happens to the organization later."""
    return {
        "name": seller.short_name,
        "full_name": seller.full_name,
        "inn": seller.inn,
        "kpp": seller.kpp,
        "ogrn": seller.ogrn,
        "address": seller.legal_address,
        "bank_name": seller.bank_name,
        "bik": seller.bik,
        "account": seller.settlement_account,
        "correspondent_account": seller.correspondent_account,
        "director": seller.director_name,
        "director_position": seller.director_position,
        "chief_accountant": seller.chief_accountant_name,
        "vat_payer": seller.vat_payer,
    }


def buyer_snapshot(legal_entity: LegalEntity) -> dict:
    """The buyer's requisites with its primary bank account, if it has one."""
    account = next(iter(legal_entity.bank_accounts.all()), None)
    return {
        "name": legal_entity.short_name,
        "full_name": legal_entity.full_name,
        "inn": legal_entity.inn,
        "kpp": legal_entity.kpp,
        "ogrn": legal_entity.ogrn,
        "address": legal_entity.legal_address,
        "bank_name": account.bank_name if account else "",
        "bik": account.bik if account else "",
        "account": account.settlement_account if account else "",
        "correspondent_account": account.correspondent_account if account else "",
        "director": "",
        "chief_accountant": "",
    }


def party(data: dict, *, full_name: bool = False) -> Party:
    """The printed party of a snapshot; ``full_name`` for forms that need the full legal name."""
    return Party(
        name=(data.get("full_name") if full_name else None) or data.get("name", ""),
        inn=data.get("inn", ""),
        kpp=data.get("kpp", ""),
        address=data.get("address", ""),
        bank_name=data.get("bank_name", ""),
        bik=data.get("bik", ""),
        account=data.get("account", ""),
        correspondent_account=data.get("correspondent_account", ""),
        director=data.get("director", ""),
        chief_accountant=data.get("chief_accountant", ""),
    )
