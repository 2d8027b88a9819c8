"""A large synthetic catalog for benchmarks: ``manage.py generate_catalog --products N --seed S``.

Deep categories, attributes, five price types, twenty warehouses with stock, barcodes, contract
prices for every contract and a specification for "specification only" contracts. Rows are
written in batches with precomputed ids through the driver directly (``executemany`` on SQLite,
``COPY`` on PostgreSQL); the search index is filled batch by batch. The same seed gives the same
catalog.
"""

import contextlib
import datetime as dt
import functools
import math
import random
import time
from decimal import Decimal

from django.db import connection, transaction
from django.utils import timezone

from optovik.customers.models import Contract
from optovik.inventory.models import Warehouse
from optovik.pricing.models import PriceType

from .demo import ean13
from .models import Attribute, AttributeOption, Brand, Category, Product, Unit, VatRate
from .search import backend, sqlite
from .search.text import stemmed_text
from .services import category_products_rebuild

ROOTS = (
    ("Цемент и сухие смеси", ("Цемент", "Штукатурка", "Шпаклёвка", "Клей плиточный", "Грунтовка", "Затирка")),
    ("Кирпич и блоки", ("Кирпич", "Блок газобетонный", "Блок керамзитобетонный", "Плитка тротуарная", "Бордюр")),
    ("Кровля", ("Металлочерепица", "Профнастил", "Черепица гибкая", "Водосток", "Мембрана")),
    ("Изоляция", ("Утеплитель", "Пенополистирол", "Плёнка пароизоляционная", "Мастика", "Геотекстиль")),
    ("Гипсокартон и профиль", ("Лист гипсокартонный", "Профиль", "Подвес", "Лента", "Уголок")),
    ("Пиломатериалы", ("Доска обрезная", "Брус", "Вагонка", "Фанера", "Плита OSB")),
    ("Инструмент", ("Дрель", "Перфоратор", "Шуруповёрт", "Болгарка", "Уровень", "Рулетка")),
    ("Крепёж", ("Саморез", "Дюбель", "Анкер", "Болт", "Гайка", "Шайба")),
    ("Лакокрасочные материалы", ("Краска", "Эмаль", "Грунт", "Лак", "Пропитка", "Растворитель")),
    ("Шины легковые", ("Шина летняя", "Шина зимняя", "Шина всесезонная")),
    ("Шины грузовые", ("Шина рулевая", "Шина ведущая", "Шина прицепная")),
    ("Диски", ("Диск литой", "Диск штампованный", "Диск кованый")),
)
SERIES = ("эконом", "стандарт", "премиум", "профессиональные", "для дома", "импортные")
SIZES = ("малые", "средние", "крупные")
ADJECTIVES = (
    "усиленный", "морозостойкий", "влагостойкий", "белый", "серый", "чёрный", "универсальный", "быстросохнущий",
    "облегчённый", "фасадный", "внутренний", "армированный", "огнестойкий", "высокопрочный", "эластичный",
)  # fmt: skip
BRAND_STEMS = (
    "Строй", "Мастер", "Техно", "Проф", "Евро", "Гранит", "Север", "Урал", "Волга", "Альфа", "Сибирь", "Нева",
    "Кама", "Дон", "Терра", "Вектор", "Полимер", "Стандарт", "Металл", "Бетон",
)  # fmt: skip
BRAND_ENDS = ("пласт", "лит", "ком", "трейд", "снаб", "хим", "маш", "пром", "тех", "строй")
PRICE_TYPES = (
    ("retail", "Розничная", Decimal("1.00")),
    ("wholesale", "Оптовая", Decimal("0.90")),
    ("dealer", "Дилерская", Decimal("0.82")),
    ("bulk", "Крупный опт", Decimal("0.78")),
    ("online", "Интернет-заказ", Decimal("0.95")),
)
ATTRIBUTE_COUNT = 30
WAREHOUSE_COUNT = 20
STOCK_PER_PRODUCT = 3
CONTRACT_PRICE_EVERY = 50
SPECIFICATION_SIZE = 500


def _now_value():
    now = timezone.now()
    return now if connection.vendor == "postgresql" else now.astimezone(dt.UTC).strftime("%Y-%m-%d %H:%M:%S.%f")


TIMINGS: dict[str, float] = {}


def _insert(table: str, columns: tuple[str, ...], rows: list[tuple]) -> None:
    if not rows:
        return
    started = time.monotonic()
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            with cursor.cursor.copy(f"COPY {table} ({', '.join(columns)}) FROM STDIN") as copy:
                for row in rows:
                    copy.write_row(row)
        else:
            marks = ", ".join(["%s"] * len(columns))
            cursor.executemany(f"INSERT INTO {table} ({', '.join(columns)}) VALUES ({marks})", rows)  # noqa: S608
    TIMINGS[table] = TIMINGS.get(table, 0.0) + time.monotonic() - started


def _next_id(table: str) -> int:
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT COALESCE(MAX(id), 0) + 1 FROM {table}")  # noqa: S608
        return cursor.fetchone()[0]


def _sync_sequences(tables) -> None:
    if connection.vendor != "postgresql":
        return
    with connection.cursor() as cursor:
        for table in tables:
            cursor.execute(
                f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), COALESCE(MAX(id), 1)) FROM {table}"  # noqa: S608
            )


BULK_TABLES = (
    "catalog_product",
    "catalog_productattributevalue",
    "pricing_price",
    "inventory_stock",
    "catalog_barcode",
    "catalog_categoryproduct",
)


@contextlib.contextmanager
def _bulk_load():
    """On SQLite: no foreign-key checks, no fsync, and the secondary indexes of the big tables
    dropped while loading and built again (sorted, much faster) at the end."""
    if connection.vendor != "sqlite":
        yield
        return
    tables = ", ".join(f"'{t}'" for t in BULK_TABLES)
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT name, sql FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL "  # noqa: S608
            f"AND tbl_name IN ({tables})"
        )
        indexes = cursor.fetchall()
        outside_transaction = not connection.in_atomic_block
        if outside_transaction:  # these pragmas cannot change inside a transaction
            cursor.execute("PRAGMA foreign_keys = OFF")
            cursor.execute("PRAGMA synchronous = OFF")
        cursor.execute("PRAGMA cache_size = -262144")
        for table in (sqlite.FTS, sqlite.TRGM):
            cursor.execute(f"INSERT INTO {table} ({table}, rank) VALUES ('automerge', 0)")  # noqa: S608
        for name, _sql in indexes:
            cursor.execute(f'DROP INDEX "{name}"')
    try:
        yield
    finally:
        with connection.cursor() as cursor:
            for _name, sql in indexes:
                cursor.execute(sql)
            for table in (sqlite.FTS, sqlite.TRGM):
                cursor.execute(f"INSERT INTO {table} ({table}, rank) VALUES ('automerge', 4)")  # noqa: S608
            if outside_transaction:
                cursor.execute("PRAGMA synchronous = NORMAL")
                cursor.execute("PRAGMA foreign_keys = ON")


class Generator:
    def __init__(self, *, seed: int, stdout=None):
        self.rnd = random.Random(seed)
        self.seed = seed
        self.stdout = stdout

    def say(self, text: str) -> None:
        if self.stdout is not None:
            self.stdout.write(text)

    # Reference data -------------------------------------------------------------------------

    def reference(self) -> None:
        self.vat = VatRate.objects.get_or_create(code="vat22", defaults={"name": "НДС 22 %", "rate": Decimal(22)})[0]
        self.vat10 = VatRate.objects.get_or_create(code="vat10", defaults={"name": "НДС 10 %", "rate": Decimal(10)})[0]
        self.units = [
            Unit.objects.get_or_create(okei_code=code, defaults={"name": name})[0]
            for name, code in (("шт", "796"), ("кг", "166"), ("м²", "055"), ("упак", "778"))
        ]
        names = sorted({s + e for s in BRAND_STEMS for e in BRAND_ENDS})
        existing = set(Brand.objects.filter(name__in=names).values_list("name", flat=True))
        Brand.objects.bulk_create([Brand(name=n, country="Россия") for n in names if n not in existing])
        self.brands = list(Brand.objects.filter(name__in=names).values_list("id", "name"))
        self.attributes = []  # (id, kind, [(option id, value)] or None, unit)
        for i in range(ATTRIBUTE_COUNT):
            kind = ("enum", "number", "boolean", "enum", "string")[i % 5]
            attribute, _ = Attribute.objects.get_or_create(
                code=f"gen-{i:02d}",
                defaults={
                    "name": f"Свойство {i + 1}",
                    "kind": kind,
                    "unit": "мм" if kind == "number" else "",
                    "is_filterable": kind != "string",
                    "sort_order": 100 + i,
                },
            )
            options = None
            if kind == "enum":
                for j in range(4 + i % 12):
                    AttributeOption.objects.get_or_create(attribute=attribute, value=f"Вариант {j + 1}")
                options = list(attribute.options.values_list("id", "value"))
            self.attributes.append((attribute.pk, kind, options))
        self.price_types = []
        for i, (code, name, factor) in enumerate(PRICE_TYPES):
            pt, _ = PriceType.objects.get_or_create(
                code=code, defaults={"name": name, "sort_order": i, "is_default": code == "retail"}
            )
            self.price_types.append((pt.pk, factor))
        have = Warehouse.objects.filter(is_active=True).count()
        for i in range(max(0, WAREHOUSE_COUNT - have)):
            Warehouse.objects.get_or_create(
                code=f"gen-wh-{i + 1:02d}",
                defaults={"name": f"Склад №{i + 1}", "is_pickup_point": i % 3 == 0, "sort_order": 100 + i},
            )
        self.warehouses = list(Warehouse.objects.filter(is_active=True).values_list("id", flat=True))

    def categories(self) -> list[tuple[int, str, tuple]]:
        """Creates the tree under one root per seed; returns leaves as (id, noun, attribute slots)."""
        root_name = f"Каталог (набор {self.seed})"
        if Category.objects.filter(external_id=f"gen-{self.seed}").exists():
            raise ValueError(f"A catalog with seed {self.seed} exists already; use another --seed.")
        next_id = _next_id("catalog_category")
        rows, leaves = [], []

        def add(name, parent_path, depth, sort):
            nonlocal next_id
            pk = next_id
            next_id += 1
            path = f"{parent_path}{pk}/"
            external = f"gen-{self.seed}" if depth == 0 else f"gen-{self.seed}-{pk}"
            parent = int(parent_path.strip("/").split("/")[-1]) if parent_path != "/" else None
            rows.append((pk, parent, name, "", path, depth, sort, True, "", external))
            return pk, path

        _top, top_path = add(root_name, "/", 0, 0)
        for r, (root, nouns) in enumerate(ROOTS):
            _rid, rpath = add(root, top_path, 1, r)
            slots = tuple(self.rnd.sample(range(ATTRIBUTE_COUNT), 5))
            for n, noun in enumerate(nouns):
                _nid, npath = add(noun, rpath, 2, n)
                for s, series in enumerate(SERIES):
                    sid, spath = add(f"{noun}: {series}", npath, 3, s)
                    if (r + n + s) % 3 == 0:
                        for z, size in enumerate(SIZES):
                            zid, _ = add(f"{noun}: {series}, {size}", spath, 4, z)
                            leaves.append((zid, noun, slots))
                    else:
                        leaves.append((sid, noun, slots))
        _insert(
            "catalog_category",
            ("id", "parent_id", "name", "slug", "path", "depth", "sort_order", "is_active", "image", "external_id"),
            rows,
        )
        self.say(f"  {len(rows)} categories, {len(leaves)} leaves")
        return leaves

    # Products -------------------------------------------------------------------------------

    def products(self, *, count: int, leaves, batch_size: int) -> list[int]:
        rnd = self.rnd.random
        start_id = _next_id("catalog_product")
        tables = ("catalog_productattributevalue", "pricing_price", "inventory_stock", "catalog_barcode")
        pav_id, price_id, stock_id, barcode_id = (_next_id(t) for t in tables)
        now = _now_value()
        sqlite_index = backend() is sqlite
        stem = functools.cache(stemmed_text)
        leaves = [
            (leaf_id, noun, stem(noun), [self.attributes[slot] for slot in slots]) for leaf_id, noun, slots in leaves
        ]
        brands = [(pk, name, stem(name)) for pk, name in self.brands]
        adjectives = [(a, stem(a)) for a in ADJECTIVES]
        units = [u.pk for u in self.units]
        vat_id = self.vat.pk
        warehouses = self.warehouses
        n_leaves, n_brands, n_adj, n_wh = len(leaves), len(brands), len(adjectives), len(warehouses)
        stock_levels = (0, 2, 7, 15, 40, 120, 800)
        letters = "ABCDEKMPTX"
        price_types = [(pt, factor) for pt, factor in self.price_types]
        cent = Decimal("0.01")
        all_ids = []
        for batch_start in range(0, count, batch_size):
            products, values, prices, stock, barcodes, fts, trgm = [], [], [], [], [], [], []
            for i in range(batch_start, min(count, batch_start + batch_size)):
                pid = start_id + i
                leaf_id, noun, noun_s, attributes = leaves[int(rnd() * n_leaves)]
                brand_id, brand, brand_s = brands[int(rnd() * n_brands)]
                adjective, adjective_s = adjectives[int(rnd() * n_adj)]
                size = 10 + int(rnd() * 490)
                model = f"{letters[int(rnd() * 10)]}{size}-{100 + int(rnd() * 900)}"
                article = f"G{self.seed}-{i + 1:07d}"
                name = f"{noun} {adjective} {brand} {model}"
                text = f"{noun} {brand}: {adjective}, размер {size}. Код {article}."
                status = "archived" if rnd() < 0.02 else "active"
                products.append(
                    (pid, now, now, f"gen-{article}", article, str(pid), name, f"<p>{text}</p>", "1", "1",
                     str(size / 10), None, status, brand_id, leaf_id, units[pid % 4], vat_id)
                )  # fmt: skip
                for attribute_id, kind, options in attributes[: 3 + pid % 3]:
                    option_id = number = None
                    if kind == "enum":
                        option_id, key = options[int(rnd() * len(options))]
                    elif kind == "number":
                        number = 5 + 5 * int(rnd() * 59)
                        key = str(number)
                    elif kind == "boolean":
                        key = "1" if rnd() < 0.4 else "0"
                    else:
                        key = ADJECTIVES[int(rnd() * n_adj)]
                    values.append((pav_id, pid, attribute_id, key, number, option_id))
                    pav_id += 1
                base = Decimal(int(math.exp(7 + 1.2 * (rnd() + rnd() + rnd() - 1.5))) + 10)
                for price_type_id, factor in price_types:
                    prices.append((price_id, pid, price_type_id, str((base * factor).quantize(cent))))
                    price_id += 1
                first = int(rnd() * n_wh)
                for k in range(min(STOCK_PER_PRODUCT, n_wh)):
                    on_hand = stock_levels[int(rnd() * 7)]
                    stock.append((stock_id, pid, warehouses[(first + k * 7) % n_wh], on_hand, on_hand // 10))
                    stock_id += 1
                barcodes.append((barcode_id, pid, ean13(f"2{pid:011d}")))
                barcode_id += 1
                if sqlite_index:
                    code = model.lower().replace("-", " ")
                    fts.append(
                        (pid, f"{noun_s} {adjective_s} {brand_s} {code}",
                         f"{noun_s} {brand_s} {adjective_s} размер {size} код g{self.seed} {i + 1:07d}")
                    )  # fmt: skip
                    trgm.append((pid, article))
                all_ids.append(pid)
            with transaction.atomic():
                _insert(
                    "catalog_product",
                    ("id", "created_at", "updated_at", "external_id", "article", "code", "name", "description",
                     "pack_multiplicity", "min_order_quantity", "weight_kg", "volume_m3", "status", "brand_id",
                     "category_id", "unit_id", "vat_rate_id"),
                    products,
                )  # fmt: skip
                _insert(
                    "catalog_productattributevalue",
                    ("id", "product_id", "attribute_id", "value_key", "value_number", "option_id"),
                    values,
                )
                _insert("pricing_price", ("id", "product_id", "price_type_id", "price"), prices)
                _insert("inventory_stock", ("id", "product_id", "warehouse_id", "on_hand", "reserved"), stock)
                _insert("catalog_barcode", ("id", "product_id", "code"), barcodes)
                _insert(sqlite.FTS, ("rowid", "name", "body"), fts)
                _insert(sqlite.TRGM, ("rowid", "article"), trgm)
        return all_ids

    def contracts(self, product_ids: list[int]) -> None:
        """Contract prices on every 50th product for each contract; a specification for
        "specification only" contracts."""
        contracts = list(Contract.objects.order_by("pk").values_list("pk", "specification_only"))
        rows, spec = [], []
        next_cp, next_spec = _next_id("pricing_contractprice"), _next_id("pricing_specificationitem")
        existing_cp = set()
        with connection.cursor() as cursor:
            cursor.execute("SELECT contract_id, product_id FROM pricing_contractprice")
            existing_cp = set(cursor.fetchall())
        for contract_id, spec_only in contracts:
            for pid in product_ids[contract_id % CONTRACT_PRICE_EVERY :: CONTRACT_PRICE_EVERY]:
                if (contract_id, pid) not in existing_cp:
                    price = Decimal(self.rnd.randrange(100, 100000)) / 10
                    rows.append((next_cp, contract_id, pid, str(price), True))
                    next_cp += 1
            if spec_only:
                for pid in self.rnd.sample(product_ids, min(SPECIFICATION_SIZE, len(product_ids))):
                    spec.append((next_spec, contract_id, pid, None, True, None))
                    next_spec += 1
        _insert("pricing_contractprice", ("id", "contract_id", "product_id", "price", "vat_included"), rows)
        _insert(
            "pricing_specificationitem",
            ("id", "contract_id", "product_id", "fixed_price", "vat_included", "max_quantity"),
            spec,
        )
        self.say(f"  {len(rows)} contract prices, {len(spec)} specification lines")


def generate_catalog(*, products: int, seed: int = 1, batch_size: int = 5000, stdout=None) -> dict:
    """Writes a synthetic catalog of ``products`` products; returns counts and timings."""
    generator = Generator(seed=seed, stdout=stdout)
    started = time.monotonic()
    with transaction.atomic():
        generator.reference()
        leaves = generator.categories()
    with _bulk_load():
        product_ids = generator.products(count=products, leaves=leaves, batch_size=batch_size)
        with transaction.atomic():
            listing_started = time.monotonic()
            category_products_rebuild()
            TIMINGS["catalog_categoryproduct"] = time.monotonic() - listing_started
    written = time.monotonic()
    with transaction.atomic():
        generator.contracts(product_ids)
    _sync_sequences(
        ("catalog_category", "catalog_product", "catalog_productattributevalue", "catalog_barcode", "pricing_price",
         "inventory_stock", "pricing_contractprice", "pricing_specificationitem")
    )  # fmt: skip
    backend().index_optimize()
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    finished = time.monotonic()
    return {
        "products": len(product_ids),
        "seconds": finished - started,
        "rate": len(product_ids) / max(finished - started, 1e-9),
        "write_seconds": written - started,
        "total_products": Product.objects.count(),
    }
