"""How documents print a party's requisites."""

from .data import Party


def inn_kpp(party: Party) -> str:
    return f"{party.inn}/{party.kpp}" if party.kpp else party.inn


def party_requisites(party: Party) -> str:
    """The party as invoices print it: name, ИНН, КПП and address separated by commas."""
    parts = [party.name, f"ИНН {party.inn}"]
    if party.kpp:
        parts.append(f"КПП {party.kpp}")
    if party.address:
        parts.append(party.address)
    return ", ".join(parts)


def party_with_address(party: Party) -> str:
    return f"{party.name}, {party.address}" if party.address else party.name


def party_dict(party: Party) -> dict[str, str]:
    return {
        "name": party.name,
        "inn": party.inn,
        "kpp": party.kpp,
        "inn_kpp": inn_kpp(party),
        "address": party.address,
        "bank_name": party.bank_name,
        "bik": party.bik,
        "account": party.account,
        "correspondent_account": party.correspondent_account,
        "director": party.director,
        "chief_accountant": party.chief_accountant,
        "requisites": party_requisites(party),
    }
