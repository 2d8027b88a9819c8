# ruff: noqa: SIM113 - the recipes count their products as they go
"""What the demo catalog is made of: a building-materials and tyre distributor's assortment.

Everything here is fixed data; ``demo_products`` turns it into about two thousand products in a
fixed order, so the demo is the same on every machine.
"""

import itertools
import math
from decimal import Decimal

VAT_RATES = (
    # code, name, rate, exempt, default
    ("vat22", "НДС 22 %", Decimal(22), False, True),
    ("vat10", "НДС 10 %", Decimal(10), False, False),
    ("vat0", "НДС 0 %", Decimal(0), False, False),
    ("novat", "Без НДС", Decimal(0), True, False),
)

UNITS = (("шт", "796"), ("кг", "166"), ("т", "168"), ("м²", "055"), ("м³", "113"), ("упак", "778"), ("рул", "736"))

PRICE_TYPES = (
    # code, name, factor of the retail price, default
    ("retail", "Розничная", Decimal("1.00"), True),
    ("wholesale", "Оптовая", Decimal("0.90"), False),
    ("dealer", "Дилерская", Decimal("0.82"), False),
)

WAREHOUSES = (
    # code, name, address, pickup, hours
    (
        "msk-port",
        "Москва, Южный порт",
        "115432, г. Москва, 2-й Южнопортовый пр-д, д. 20",
        True,
        "пн–пт 8:00–20:00, сб 9:00–16:00",
    ),
    (
        "podolsk",
        "Подольск, распределительный центр",
        "142100, Московская обл., г. Подольск, ул. Складская, д. 4",
        False,
        "пн–вс 0:00–24:00",
    ),
    (
        "spb-parnas",
        "Санкт-Петербург, Парнас",
        "194292, г. Санкт-Петербург, 3-й Верхний пер., д. 5",
        True,
        "пн–пт 9:00–19:00",
    ),
    (
        "ekb",
        "Екатеринбург, Сибирский тракт",
        "620100, г. Екатеринбург, Сибирский тракт, д. 14",
        False,
        "пн–пт 8:00–18:00",
    ),
)

ATTRIBUTES = (
    # code, name, kind, unit, options
    ("cement_grade", "Марка цемента", "enum", "", ("М400", "М500", "М600")),
    ("bag_weight", "Вес мешка", "number", "кг", ()),
    ("mix_type", "Тип смеси", "enum", "", ("Гипсовая", "Цементная", "Полимерная")),
    ("color", "Цвет", "enum", "", ("Белый", "Серый", "Красный", "Коричневый", "Зелёный", "Графит")),
    ("strength", "Марка прочности", "enum", "", ("М100", "М150", "М200")),
    ("hollow", "Пустотелый", "boolean", "", ()),
    ("thickness", "Толщина", "number", "мм", ()),
    ("season", "Сезон", "enum", "", ("Летние", "Зимние", "Всесезонные")),
    ("diameter", "Посадочный диаметр", "enum", "", ("R14", "R15", "R16", "R17", "R18", "R17.5", "R19.5", "R22.5")),
    ("width", "Ширина профиля", "number", "мм", ()),
    ("profile", "Высота профиля", "number", "%", ()),
    ("studded", "Шипы", "boolean", "", ()),
    ("load_index", "Индекс нагрузки", "number", "", ()),
    ("rim_type", "Тип диска", "enum", "", ("Штампованный", "Литой")),
    (
        "pcd",
        "Разболтовка (PCD)",
        "enum",
        "",
        ("4x98", "4x100", "5x100", "5x105", "5x108", "5x112", "5x114.3", "6x139.7"),
    ),
    ("material", "Материал", "string", "", ()),
)

# The tree: (name, children) with leaves as ("name", kind); a kind names a product recipe below.
TREE = (
    (
        "Цемент и сухие смеси",
        (
            ("Цемент", "cement"),
            ("Штукатурки", "plaster"),
            ("Шпаклёвки", "putty"),
            ("Плиточный клей", "tile_glue"),
            ("Наливные полы", "floor"),
        ),
    ),
    (
        "Кирпич и блоки",
        (
            ("Кирпич керамический", "brick"),
            ("Кирпич облицовочный", "facing_brick"),
            ("Газобетонные блоки", "aerated"),
        ),
    ),
    (
        "Кровля",
        (
            ("Металлочерепица", "metal_tile"),
            ("Гибкая черепица", "soft_tile"),
            ("Рулонная кровля", "roll_roof"),
        ),
    ),
    (
        "Изоляция",
        (
            ("Теплоизоляция", "insulation"),
            ("Гидроизоляция", "waterproofing"),
        ),
    ),
    (
        "Шины",
        (
            (
                "Легковые шины",
                (
                    ("Летние", tuple((f"Летние {d}", f"car_summer_{d}") for d in ("R14", "R15", "R16", "R17", "R18"))),
                    ("Зимние", tuple((f"Зимние {d}", f"car_winter_{d}") for d in ("R14", "R15", "R16", "R17", "R18"))),
                ),
            ),
            (
                "Грузовые шины",
                (
                    (
                        "Летние",
                        tuple((f"Грузовые летние {d}", f"truck_summer_{d}") for d in ("R17.5", "R19.5", "R22.5")),
                    ),
                    (
                        "Зимние",
                        tuple((f"Грузовые зимние {d}", f"truck_winter_{d}") for d in ("R17.5", "R19.5", "R22.5")),
                    ),
                ),
            ),
        ),
    ),
    (
        "Диски",
        (
            ("Штампованные диски", "rim_steel"),
            ("Литые диски", "rim_alloy"),
        ),
    ),
)

BRANDS = {
    "Евроцемент": ("АО «Евроцемент груп»", "Россия"),
    "Холсим": ("ООО «Холсим (Рус)»", "Россия"),
    "Мордовцемент": ("ПАО «Мордовцемент»", "Россия"),
    "Сухой Лог": ("АО «Сухоложскцемент»", "Россия"),
    "Knauf": ("Knauf Gips KG", "Германия"),
    "Ceresit": ("Henkel AG", "Германия"),
    "Волма": ("ООО «Волма»", "Россия"),
    "Основит": ("ООО «Опытный завод сухих смесей»", "Россия"),
    "Braer": ("ООО «Браер II»", "Россия"),
    "Кетра": ("ООО «Кетра»", "Россия"),
    "Ytong": ("Xella", "Германия"),
    "Bonolit": ("ООО «Бонолит»", "Россия"),
    "Grand Line": ("ООО «Гранд Лайн»", "Россия"),
    "Технониколь": ("ООО «ТехноНИКОЛЬ»", "Россия"),
    "Shinglas": ("ООО «ТехноНИКОЛЬ»", "Россия"),
    "Rockwool": ("ООО «Роквул»", "Россия"),
    "Пеноплэкс": ("ООО «Пеноплэкс СПб»", "Россия"),
    "Nokian": ("Nokian Tyres", "Финляндия"),
    "Ikon": ("ООО «Айкон Тайрс»", "Россия"),
    "Michelin": ("Michelin", "Франция"),
    "Cordiant": ("АО «Кордиант»", "Россия"),
    "Continental": ("Continental AG", "Германия"),
    "Кама": ("ПАО «Нижнекамскшина»", "Россия"),
    "Bridgestone": ("Bridgestone", "Япония"),
    "Trebl": ("ООО «ТЗСК»", "Россия"),
    "K&K": ("ООО «К и К»", "Россия"),
    "СКАД": ("ООО «СКАД»", "Россия"),
    "iFree": ("ООО «К и К»", "Россия"),
    "Alcasta": ("ООО «Алкаста»", "Россия"),
    "Accuride": ("Accuride Wheels", "Германия"),
    "ГАЗ": ("ООО «ГАЗ»", "Россия"),
}

CAR_MODELS = {
    "summer": (
        ("Nokian", "Hakka Green 3"),
        ("Ikon", "Nordman SX3"),
        ("Michelin", "Primacy 4+"),
        ("Cordiant", "Comfort 2"),
        ("Continental", "EcoContact 6"),
        ("Кама", "Breeze"),
        ("Bridgestone", "Turanza 6"),
    ),
    "winter": (
        ("Nokian", "Hakkapeliitta 10"),
        ("Ikon", "Nordman 8"),
        ("Michelin", "X-Ice North 4"),
        ("Cordiant", "Snow Cross 2"),
        ("Continental", "IceContact 3"),
        ("Кама", "Alga"),
        ("Bridgestone", "Blizzak Spike-02"),
    ),
}
TRUCK_MODELS = (
    ("Кама", "NF 202"),
    ("Кама", "NR 202"),
    ("Cordiant", "Professional FR-1"),
    ("Michelin", "X Multi D"),
    ("Bridgestone", "R-Steer 002"),
    ("Continental", "Conti Hybrid HS3"),
)
CAR_SIZES = {
    "R14": ((165, 70), (175, 65), (175, 70), (185, 60), (185, 65), (185, 70)),
    "R15": ((185, 55), (185, 60), (185, 65), (195, 60), (195, 65), (205, 65)),
    "R16": ((195, 55), (205, 55), (205, 60), (215, 60), (215, 65), (225, 60)),
    "R17": ((215, 50), (215, 55), (215, 60), (225, 45), (225, 50), (235, 55)),
    "R18": ((225, 40), (225, 45), (235, 45), (235, 55), (245, 45), (255, 55)),
}
TRUCK_SIZES = {
    "R17.5": ((205, 75), (215, 75), (235, 75)),
    "R19.5": ((245, 70), (265, 70), (285, 70)),
    "R22.5": ((295, 80), (315, 70), (315, 80), (385, 55), (385, 65)),
}
COLORS = ("Красный", "Коричневый", "Зелёный", "Графит", "Серый", "Белый")

DESCRIPTION = {
    "cement": "<p>Портландцемент для бетонов и растворов. Подходит для фундаментов, стяжек и кладки.</p>",
    "plaster": "<p>Штукатурная смесь для выравнивания стен и потолков внутри помещений.</p>",
    "putty": "<p>Финишная шпаклёвка для заделки трещин и подготовки под окраску.</p>",
    "tile_glue": "<p>Клей для плитки и керамогранита, <strong>для внутренних и наружных работ</strong>.</p>",
    "floor": "<p>Самовыравнивающаяся смесь для устройства пола толщиной 5–100 мм.</p>",
    "brick": "<p>Кирпич для несущих стен и перегородок. Морозостойкость F50.</p>",
    "facing_brick": "<p>Облицовочный кирпич для фасадов. Морозостойкость F100.</p>",
    "aerated": "<p>Газобетонный блок D500 для наружных стен и перегородок.</p>",
    "metal_tile": "<p>Металлочерепица с полимерным покрытием, лист 1180 мм.</p>",
    "soft_tile": "<p>Гибкая черепица для скатных кровель с уклоном от 12°.</p>",
    "roll_roof": "<p>Наплавляемый рулонный материал на основе битума.</p>",
    "insulation": "<p>Теплоизоляционные плиты для стен, кровли и перекрытий.</p>",
    "waterproofing": "<p>Гидроизоляционный материал для фундаментов и кровли.</p>",
    "tyre": "<p>Шина для круглогодичной эксплуатации в условиях России. <em>Гарантия производителя.</em></p>",
    "rim": "<p>Колёсный диск, проверен на соответствие ГОСТ Р 50511.</p>",
}


def leaves(tree=TREE, trail=()):
    """(path of names, recipe kind) for every leaf category, in tree order."""
    for name, rest in tree:
        if isinstance(rest, str):
            yield (*trail, name), rest
        else:
            yield from leaves(rest, (*trail, name))


M3 = Decimal("0.000001")  # volumes are kept to the cubic centimetre


BRICK_WEIGHT = {  # kg of one brick by size and hollowness
    ("1НФ", False): Decimal("3.6"),
    ("1НФ", True): Decimal("2.7"),
    ("1,4НФ", False): Decimal("4.9"),
    ("1,4НФ", True): Decimal("3.6"),
}


def _block_volume(thickness: int) -> Decimal:
    """An aerated block of 625 × 250 × ``thickness`` mm, in m³."""
    return Decimal(thickness) * Decimal("0.00015625")


def bag_volume(weight) -> Decimal:
    """A bag of dry mix: about 1,300 kg per cubic metre, packed."""
    return (Decimal(weight) / 1300).quantize(M3)


def _p(article, name, brand, unit, price, attrs, description, **extra):
    return {
        "article": article,
        "name": name,
        "brand": brand,
        "unit": unit,
        "price": Decimal(price),
        "attrs": attrs,
        "description": description,
        **extra,
    }


def _building(kind: str, n: int):
    desc = DESCRIPTION[kind]
    if kind == "cement":
        for i, (brand, grade, weight) in enumerate(
            itertools.product(("Евроцемент", "Холсим", "Мордовцемент"), ("М400", "М500", "М600"), (25, 40, 50))
        ):
            yield _p(
                f"CEM-{n + i:05d}",
                f"Цемент {grade} Д0 {brand}, {weight} кг",
                brand,
                "шт",
                200 + weight * 9 + (40 if grade == "М500" else 80 if grade == "М600" else 0),
                {"cement_grade": grade, "bag_weight": weight},
                desc,
                weight=weight,
                volume=bag_volume(weight),
            )
        return
    recipes = {
        "plaster": (("Knauf", "Ротбанд"), ("Волма", "Слой"), ("Основит", "Гипсвелл"), ("Ceresit", "CT 24")),
        "putty": (("Knauf", "Фуген"), ("Волма", "Финиш"), ("Ceresit", "CT 225"), ("Основит", "Эконсилк")),
        "tile_glue": (("Ceresit", "CM 11"), ("Ceresit", "CM 17"), ("Knauf", "Флизен"), ("Основит", "Максикс")),
        "floor": (("Knauf", "Боден"), ("Ceresit", "CN 175"), ("Волма", "Нивелир"), ("Основит", "Скорлайн")),
    }
    if kind in recipes:
        mix = {"plaster": "Гипсовая", "putty": "Полимерная", "tile_glue": "Цементная", "floor": "Цементная"}[kind]
        title = {"plaster": "Штукатурка", "putty": "Шпаклёвка", "tile_glue": "Клей плиточный", "floor": "Наливной пол"}
        i = 0
        for (brand, model), weight in itertools.product(recipes[kind], (5, 10, 20, 25, 30)):
            yield _p(
                f"MIX-{n + i:05d}",
                f"{title[kind]} {brand} {model}, {weight} кг",
                brand,
                "шт",
                120 + weight * 16 + i * 7 % 90,
                {"mix_type": mix, "bag_weight": weight},
                desc,
                weight=weight,
                volume=bag_volume(weight),
            )
            i += 1
        return
    if kind in ("brick", "facing_brick"):
        brands = ("Braer", "Кетра") if kind == "facing_brick" else ("Braer", "Кетра", "Knauf")
        colors = COLORS if kind == "facing_brick" else ("Красный",)
        i = 0
        for brand, color, strength, hollow, size in itertools.product(
            brands, colors, ("М150", "М200"), (True, False), ("1НФ", "1,4НФ")
        ):
            kind_name = "облицовочный" if kind == "facing_brick" else "рядовой"
            body = "пустотелый" if hollow else "полнотелый"
            name = f"Кирпич {kind_name} {size} {strength} {color.lower()} {body} {brand}"
            yield _p(
                f"BRK-{n + i:05d}",
                name,
                brand,
                "шт",
                18 + i % 23 + (12 if kind == "facing_brick" else 0),
                {"color": color, "strength": strength, "hollow": hollow},
                DESCRIPTION[kind],
                pack=Decimal(280 if size == "1НФ" else 200),
                # 250×120×65 mm (1НФ) or 250×120×88 mm (1,4НФ); a hollow brick is about a quarter lighter.
                weight=BRICK_WEIGHT[size, hollow],
                volume=Decimal("0.00195" if size == "1НФ" else "0.00264"),
            )
            i += 1
        return
    if kind == "aerated":
        for i, (brand, thickness) in enumerate(
            itertools.product(("Ytong", "Bonolit"), (75, 100, 150, 200, 250, 300, 375, 400))
        ):
            yield _p(
                f"BLK-{n + i:05d}",
                f"Блок газобетонный D500 625×250×{thickness} {brand}",
                brand,
                "шт",
                90 + thickness * 0.9,
                {"thickness": thickness},
                desc,
                volume=_block_volume(thickness).quantize(M3),
                weight=(_block_volume(thickness) * 550).quantize(Decimal("0.1")),  # D500, laid dry
            )
        return
    if kind in ("metal_tile", "soft_tile", "roll_roof", "insulation", "waterproofing"):
        brands = {
            "metal_tile": ("Grand Line",),
            "soft_tile": ("Shinglas", "Технониколь"),
            "roll_roof": ("Технониколь",),
            "insulation": ("Rockwool", "Пеноплэкс", "Технониколь"),
            "waterproofing": ("Технониколь", "Ceresit"),
        }[kind]
        title = {
            "metal_tile": "Металлочерепица Монтеррей 0,5 мм",
            "soft_tile": "Черепица гибкая",
            "roll_roof": "Техноэласт ЭПП",
            "insulation": "Плиты теплоизоляционные",
            "waterproofing": "Мастика гидроизоляционная",
        }[kind]
        unit = {
            "metal_tile": "м²",
            "soft_tile": "упак",
            "roll_roof": "рул",
            "insulation": "упак",
            "waterproofing": "шт",
        }[kind]
        # weight (kg) and volume (m³) of one unit: a square metre of sheet, a pack, a roll, a bucket
        weight, volume = {
            "metal_tile": ("4.7", "0.0006"),
            "soft_tile": ("26", "0.035"),
            "roll_roof": ("45", "0.06"),
            "insulation": ("11", "0.288"),
            "waterproofing": ("20", "0.02"),
        }[kind]
        thicknesses = (4, 5, 30, 50, 100, 150) if kind in ("roll_roof", "insulation") else (0,)
        i = 0
        for brand, color, t in itertools.product(brands, COLORS, thicknesses):
            name = f"{title} {brand} {color.lower()}" + (f", {t} мм" if t else "")
            attrs = {"color": color} | ({"thickness": t} if t else {})
            yield _p(
                f"ROF-{n + i:05d}",
                name,
                brand,
                unit,
                380 + i * 37 % 900,
                attrs,
                desc,
                weight=Decimal(weight),
                volume=Decimal(volume),
            )
            i += 1


def _wheel_volume(width: int, diameter: str, profile: int = 0) -> Decimal:
    """The cylinder a tyre (or, with no profile, a rim) takes on a shelf: outer diameter² × π / 4 × width;
    ``width`` in mm, ``diameter`` the rim's in inches ("R16")."""
    outer_mm = float(diameter.strip("R")) * 25.4 + 2 * width * profile / 100
    return Decimal(math.pi / 4 * (outer_mm / 1000) ** 2 * width / 1000).quantize(M3)


def _tyres(kind: str, n: int):
    _, group, diameter = kind.split("_")
    desc = DESCRIPTION["tyre"]
    i = 0
    if group in ("summer", "winter"):
        truck = kind.startswith("truck")
        models = TRUCK_MODELS if truck else CAR_MODELS[group]
        sizes = (TRUCK_SIZES if truck else CAR_SIZES)[diameter]
        for (brand, model), (width, profile) in itertools.product(models, sizes):
            studded_options = (True, False) if group == "winter" and not truck else (False,)
            for studded in studded_options:
                load = 88 + width % 17 if not truck else 148 + width % 9
                name = f"Шина {brand} {model} {width}/{profile} {diameter} {load}{'T' if not truck else 'L'}"
                name += " шип." if studded else ""
                season = "Летние" if group == "summer" else "Зимние"
                price = (4200 + width * 18 + int(diameter.strip("R").split(".")[0]) * 310) * (5 if truck else 1)
                yield _p(
                    f"TYR-{n + i:05d}",
                    name,
                    brand,
                    "шт",
                    price + i * 53 % 700,
                    {
                        "season": season,
                        "diameter": diameter,
                        "width": width,
                        "profile": profile,
                        "studded": studded,
                        "load_index": load,
                    },
                    desc,
                    weight=Decimal(9 + width // 30),
                    volume=_wheel_volume(width, diameter, profile),
                )
                i += 1


def _rims(kind: str, n: int):
    alloy = kind == "rim_alloy"
    brands = ("K&K", "СКАД", "iFree", "Alcasta") if alloy else ("Trebl", "Accuride", "ГАЗ")
    i = 0
    for brand, diameter, pcd, color in itertools.product(
        brands,
        ("R14", "R15", "R16", "R17"),
        ("4x98", "4x100", "5x100", "5x105", "5x108", "5x112", "5x114.3", "6x139.7"),
        ("Серый", "Графит", "Белый") if alloy else ("Графит", "Серый"),
    ):
        width = {"R14": "5.5", "R15": "6.0", "R16": "6.5", "R17": "7.0"}[diameter]
        name = (
            f"Диск {'литой' if alloy else 'штампованный'} {brand} {width}x{diameter.strip('R')} {pcd} {color.lower()}"
        )
        yield _p(
            f"RIM-{n + i:05d}",
            name,
            brand,
            "шт",
            (6800 if alloy else 3100) + i * 71 % 1500,
            {
                "rim_type": "Литой" if alloy else "Штампованный",
                "diameter": diameter,
                "pcd": pcd,
                "color": color,
                "material": "алюминиевый сплав" if alloy else "сталь",
            },
            DESCRIPTION["rim"],
            weight=Decimal(int(diameter.strip("R")) - (6 if alloy else 4)),
            volume=_wheel_volume(int(float(width) * 25.4), diameter),
        )
        i += 1


# A product no longer sold (archived by the demo): its analogs are the additive-free bags of its grade.
DISCONTINUED = {"article": "CEM-D20-25", "name": "Цемент М400 Д20 Евроцемент, 25 кг", "brand": "Евроцемент"}


def demo_products():
    """(category path, product dict) for the whole demo catalog, in a fixed order."""
    n = 1
    for path, kind in leaves():
        if kind.startswith(("car_", "truck_")):
            items = _tyres(kind, n)
        elif kind.startswith("rim_"):
            items = _rims(kind, n)
        else:
            items = _building(kind, n)
        for product in items:
            yield path, product
            n += 1
