import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from optovik.catalog import services
from optovik.catalog.models import Barcode
from optovik.catalog.search import product_search, search_suggest
from tests.catalog.builders import product


def ids(q, contract=None):
    return product_search(q=q, contract=contract).product_ids


def test_russian_word_forms_find_each_other(shop):
    assert shop.cement.pk in ids("цемента")
    assert shop.cement.pk in ids("цементом М500")
    assert shop.plaster.pk in ids("штукатурку")
    assert shop.cement.pk not in ids("штукатурку")


def test_description_and_brand_are_searched(shop):
    assert shop.cement.pk in ids("бетонов")
    assert shop.cement.pk in ids("евроцемент")


def test_exact_article_is_flagged_for_opening_the_card(shop):
    result = product_search(q="CEM-500-50", contract=None)
    assert result.is_exact and result.exact_product_id == shop.cement.pk and result.exact_kind == "article"
    assert product_search(q="cem-500-50", contract=None).exact_product_id == shop.cement.pk


def test_article_prefix_lists_matching_articles_first(shop):
    result = product_search(q="CEM-", contract=None)
    assert not result.is_exact
    assert result.product_ids[:2] == [shop.cement400.pk, shop.cement.pk]


def test_barcode_finds_its_product(shop):
    Barcode.objects.create(product=shop.tyre_summer, code="4601234567890")
    result = product_search(q="4601234567890", contract=None)
    assert result.exact_product_id == shop.tyre_summer.pk and result.exact_kind == "barcode"


def test_typo_in_article_finds_the_product(shop):
    result = product_search(q="TYR-205-56", contract=None)
    assert result.typo and shop.tyre_summer.pk in result.product_ids[:2]


def test_unknown_article_gives_nothing_and_no_error(shop):
    result = product_search(q="ZZZ-000-999", contract=None)
    assert result.product_ids == [] and not result.is_exact


@pytest.mark.parametrize(
    "q",
    [
        "",
        "   ",
        '"',
        '"цемент',
        "цемент*",
        "*",
        "NEAR(цемент шина)",
        "цемент NEAR шина",
        "-цемент",
        "name:цемент",
        "цемент AND OR NOT",
        "(цемент",
        "цемент)",
        "^цемент",
        "'; DROP TABLE catalog_product; --",
        "\\",
        "\x00",
        "цемент & | ! <->",
        "%_%",
        "ё" * 3,
        "😀🧱",
        "x" * 5000,
        "цемент " * 1000,
        None,
    ],
)
def test_operators_and_garbage_never_raise(shop, q):
    product_search(q=q, contract=None)
    search_suggest(q, None)


# Words, article-like tokens and every operator of FTS5 and tsquery, mixed with any text at all.
QUERY_PARTS = st.one_of(
    st.sampled_from(["цемент", "шина", "CEM-500", "TYR-", "NEAR", "AND", "OR", "NOT", "-", "*", '"', ":", "(", ")"]),
    st.sampled_from(["^", "&", "|", "!", "<->", "'", "\\", "%", "_", "{", "}", "+", "ё", " ", "\x00"]),
    st.text(max_size=12),
)


@pytest.fixture
def with_archived(shop):
    """The shop and an archived product whose name, description and article match the words above."""
    old = product("CEM-500-OLD", "Цемент шина старый", shop.building, description="цемент шина")
    services.product_archive(product=old)
    return shop


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(parts=st.lists(QUERY_PARTS, max_size=8))
@example(parts=["CEM-500"])  # the archived product's article starts so
@example(parts=["цемент", " ", "шина"])  # its name
@example(parts=["CEM-500-OLD"])  # its article
def test_any_query_finds_visible_products_only_and_never_raises(with_archived, parts):
    shop, q = with_archived, "".join(parts)

    result = product_search(q=q, contract=None)
    suggestions = search_suggest(q, None)

    visible = {p.pk for p in shop.products}
    assert set(result.product_ids) <= visible
    assert {s.product_id for s in suggestions} <= visible
    assert len(result.product_ids) == len(set(result.product_ids))


def test_operators_around_words_are_ignored(shop):
    assert shop.cement.pk in ids('"цемент*"')
    assert shop.cement.pk in ids("(цемент):")
    assert shop.cement.pk in ids("-цемент-")


def test_suggestions_while_typing(shop):
    suggestions = search_suggest("цем", None, limit=10)
    assert {s.product_id for s in suggestions} >= {shop.cement.pk, shop.cement400.pk}
    assert search_suggest("TYR-205", None)[0].article.startswith("TYR-205")
    assert len(search_suggest("ц", None, limit=1)) <= 1


def test_index_follows_product_changes(shop):
    services.product_update(product=shop.plaster, name="Шпаклёвка Ветонит")
    assert shop.plaster.pk in ids("шпаклёвку")
    assert shop.plaster.pk not in ids("штукатурка")
    new = product("NEW-1", "Кирпич облицовочный", shop.building)
    assert new.pk in ids("кирпича")
    services.product_archive(product=new)
    assert new.pk not in ids("кирпича")


def test_whole_words_come_first_then_words_they_start(shop):
    # «цемент» as a whole word (the cement products) before «цементный», which it only starts; a
    # word being typed («цементн») still finds the longer one.
    mortar = product("MIX-CEM-1", "Раствор цементный кладочный", shop.building)
    found = ids("цемент")
    assert {shop.cement.pk, shop.cement400.pk, mortar.pk} <= set(found)
    assert found.index(mortar.pk) > max(found.index(shop.cement.pk), found.index(shop.cement400.pk))
    assert mortar.pk in ids("раствор цементн")
    assert shop.cement.pk not in ids("раствор цементн")


def test_a_search_cut_at_its_limit_says_so_and_one_that_fits_does_not(shop):
    for n in range(4):
        product(f"PAV-{n}", f"Брусчатка гранитная {n}", shop.building)

    cut = product_search(q="брусчатка", contract=None, limit=3)
    whole = product_search(q="брусчатка", contract=None, limit=4)  # exactly as many as match

    assert len(cut.product_ids) == 3 and cut.truncated
    assert len(whole.product_ids) == 4 and not whole.truncated
    assert set(cut.product_ids) < set(whole.product_ids)


def test_the_exact_article_of_a_product_no_longer_sold_is_recognised(shop):
    services.product_archive(product=shop.plaster)

    result = product_search(q="mix-rot-30", contract=None)

    assert result.discontinued_article == "MIX-ROT-30"
    assert result.product_ids == [] and not result.is_exact and not result.typo
    assert product_search(q="MIX-ROT", contract=None).discontinued_article == ""  # a prefix is not the article


@pytest.mark.parametrize(
    ("name", "queries"),
    [
        ("Шина Michelin Primacy 4+ 205/55 R16 89T", ["205/55 r16", "205 55 R16", "205/55R16", "205 55 16"]),
        ("Шина Nokian Nordman 7 205/55R16 94T", ["205/55 r16", "205/55R16", "205 55 16", "nokian 55r16"]),
        ("Шина грузовая Кама NF 202 315/80 R22.5 156/150L", ["315/80 r22.5", "315 80 22.5", "кама 22,5"]),
        ("Лист гипсокартонный Knauf ГКЛ 12,5 мм 2500x1200", ["гкл 12,5", "12.5 мм", "knauf 2500x1200"]),
        ("Профиль ПП-60/27 оцинкованный", ["пп 60 27", "профиль 60/27", "пп-60"]),
        ("Эмаль «Мастер» ПФ-115, белая (0,9 кг)", ["эмаль мастер", "пф-115 белая", "0,9 кг"]),
    ],
)
def test_sizes_and_punctuation_in_names_are_found_alike_on_both_databases(shop, name, queries):
    # Words are what lies between punctuation, on SQLite (split in Python) and on PostgreSQL
    # alike: its own parser would keep "205/55" or "ПФ-115" whole, and "205 55" would find nothing.
    # A rim size is found by its number too ("16" for "R16").
    item = product("PUNCT-1", name, shop.building)

    for q in queries:
        assert item.pk in ids(q), q
    assert item.pk not in ids("205/60 r16")  # every word still counts
    assert item.pk not in ids("205 55 17")
