import pytest
from django.core.exceptions import ValidationError
from django.utils import translation

from optovik.core import requisites as r

SBER_BIK, SBER_CORR = "044525225", "30101810400000000225"
ALFA_BIK, ALFA_CORR = "044525593", "30101810200000000593"
# ПАО Сбербанк's own requisites: INN 7707083893, KPP 773601001, OGRN 1027700132195.
SBER_INN, SBER_KPP, SBER_OGRN = "7707083893", "773601001", "1027700132195"


@pytest.fixture(autouse=True)
def _english():
    with translation.override("en"):
        yield


def _message(exc_info) -> str:
    return " ".join(exc_info.value.messages)


@pytest.mark.parametrize("value", [SBER_INN, r.inn_complete("500100732"), r.inn_complete("7712345678")])
def test_valid_inn_passes(value):
    r.validate_inn(value)


@pytest.mark.parametrize(
    ("value", "words"),
    [
        ("7707083894", "check digit"),
        ("77070838", "10 or 12 digits"),
        ("77070838AB", "digits only"),
        ("770708389312", "check digit"),
    ],
)
def test_invalid_inn_is_refused_with_a_reason(value, words):
    with pytest.raises(ValidationError) as exc_info:
        r.validate_inn(value)
    assert words in _message(exc_info)
    assert "INN" in _message(exc_info)


@pytest.mark.parametrize("value", [SBER_KPP, "7701AB001", "500101001"])
def test_valid_kpp_passes(value):
    r.validate_kpp(value)


@pytest.mark.parametrize("value", ["77360100", "7736010011", "77-601001", "ABCD01001"])
def test_invalid_kpp_is_refused(value):
    with pytest.raises(ValidationError) as exc_info:
        r.validate_kpp(value)
    assert "KPP must have 9 characters" in _message(exc_info)


def test_ogrn_and_ogrnip_pass():
    r.validate_ogrn(SBER_OGRN)
    r.validate_ogrn(r.ogrn_complete("31966580001274"))  # OGRNIP, 15 digits


@pytest.mark.parametrize(
    ("value", "words"),
    [("1027700132196", "check digit"), ("102770013219", "13 or 15 digits"), ("319665800012741", "check digit")],
)
def test_invalid_ogrn_is_refused_with_a_reason(value, words):
    with pytest.raises(ValidationError) as exc_info:
        r.validate_ogrn(value)
    assert words in _message(exc_info)


def test_bik_must_be_nine_digits_starting_with_04():
    r.validate_bik(SBER_BIK)
    with pytest.raises(ValidationError, match="starts with 04"):
        r.validate_bik("123456789")
    with pytest.raises(ValidationError) as exc_info:
        r.validate_bik("04452522")
    assert "9 digits" in _message(exc_info)


@pytest.mark.parametrize(("bik", "corr"), [(SBER_BIK, SBER_CORR), (ALFA_BIK, ALFA_CORR)])
def test_real_banks_correspondent_accounts_match_their_bik(bik, corr):
    r.validate_bik(bik)
    r.validate_correspondent_account(corr, bik)


def test_correspondent_account_of_another_region_is_refused():
    ural_corr = "30101810500000000674"  # Уральский банк ПАО Сбербанк, BIK 046577674
    r.validate_correspondent_account(ural_corr, "046577674")
    with pytest.raises(ValidationError) as exc_info:
        r.validate_correspondent_account(ural_corr, SBER_BIK)
    assert "does not match BIK 044525225" in _message(exc_info)


def test_correspondent_account_must_start_with_301():
    with pytest.raises(ValidationError, match="starts with 301"):
        r.validate_correspondent_account("40702810400000000225", SBER_BIK)


def test_settlement_account_keyed_to_the_bik():
    account = r.settlement_account_complete("40702810000000012345", SBER_BIK)
    r.validate_settlement_account(account, SBER_BIK)
    with pytest.raises(ValidationError) as exc_info:
        r.validate_settlement_account(account, ALFA_BIK)
    assert "control key" in _message(exc_info)


def test_settlement_account_with_a_typo_is_refused():
    account = r.settlement_account_complete("40702810000000012345", SBER_BIK)
    typo = account[:-1] + str((int(account[-1]) + 1) % 10)
    with pytest.raises(ValidationError, match="does not match BIK"):
        r.validate_settlement_account(typo, SBER_BIK)


def test_settlement_account_length_is_named():
    with pytest.raises(ValidationError) as exc_info:
        r.validate_settlement_account("4070281000000001234", SBER_BIK)
    assert "Settlement account must have 20 digits, not 19" in _message(exc_info)


@pytest.mark.parametrize(
    ("raw", "normalized"),
    [
        ("+7 (495) 123-45-67", "+74951234567"),
        ("8 916 123 45 67", "+79161234567"),
        ("9161234567", "+79161234567"),
        ("+375 29 123-45-67", "+375291234567"),
        ("", ""),
    ],
)
def test_phone_normalisation(raw, normalized):
    assert r.normalize_phone(raw) == normalized


def test_too_short_phone_is_refused():
    with pytest.raises(ValidationError, match="area code"):
        r.normalize_phone("123-45")


def test_builders_make_numbers_the_validators_accept():
    r.validate_inn(r.inn_complete("772841563"))
    r.validate_inn(r.inn_complete("6658123904"))
    r.validate_ogrn(r.ogrn_complete("115774631218"))
    r.validate_correspondent_account(r.correspondent_account_complete("30101810000000000225", SBER_BIK), SBER_BIK)
