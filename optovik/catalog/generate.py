"""A large synthetic catalog for benchmarks: ``manage.py generate_catalog --products N --seed S``.

Deep categories, attributes, five price types, twenty warehouses with stock, barcodes, contract
prices for every contract and a specification for "specification only" contracts.

The rows are made inside the database: one ``INSERT … SELECT`` per table and per batch of
products (100,000 on SQLite, all at once on PostgreSQL) over the product numbers ``i`` (a
temporary table of numbers on SQLite, ``generate_series`` on PostgreSQL). Every choice for
product ``i`` — its leaf category, brand, adjective, model, status, base price, stock, attribute
values — comes from an integer hash ``h(i, stream)`` that uses only ``+ * %`` on 64-bit integers
(:class:`Hash`), so the same SQL runs on both databases and the same seed gives the same catalog.
The hash picks rows of small temporary tables (leaves with their noun and attribute slots,
brands, adjectives, attribute values, base prices, price types, warehouses, stock levels); the
stems the SQLite search index needs are computed for that small vocabulary in Python and
concatenated in SQL, as ``search.sqlite`` would index the product. Secondary indexes are dropped
during the load and built once at the end (:func:`_bulk_load`).
"""

import contextlib
import datetime as dt
import math
import multiprocessing
import os
import random
import re
import shutil
import tempfile
import time
from decimal import Decimal

from django.db import DatabaseError, connection, transaction
from django.utils import timezone

from optovik.core import sqlite_worker
from optovik.customers.models import Contract
from optovik.inventory.models import Warehouse
from optovik.pricing.models import PriceType

from .models import Attribute, AttributeOption, Brand, Category, Product, Unit, VatRate
from .search import backend, search_index_rebuild, sqlite
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
MODEL_LETTERS = "ABCDEKMPTX"
STOCK_LEVELS = (0, 2, 7, 15, 40, 120, 800)
ATTRIBUTE_COUNT = 30
SLOTS_PER_LEAF = 5
WAREHOUSE_COUNT = 20
STOCK_PER_PRODUCT = 3
CONTRACT_PRICE_EVERY = 50
SPECIFICATION_SIZE = 500
ARCHIVED_PERCENT = 2
BASE_PRICES = 4096  # base prices drawn once per seed; a product picks one by its hash
BATCH = {"sqlite": 100_000, "postgresql": 0}  # products per INSERT … SELECT; 0: all in one statement
LOAD_CACHE_KB = 262_144  # SQLite page cache while loading
SORT_RUN_KB = 4_096  # SQLite page cache, hence sort run size, while building indexes
FTS_HASH = 64 << 20  # bytes of pending FTS5 index data held in memory before a segment is written
FTS_LOADING = {"automerge": 0, "hashsize": FTS_HASH}  # no merging until the final optimize
FTS_USUAL = {"automerge": 4, "hashsize": 1 << 20}  # FTS5's defaults

TIMINGS: dict[str, float] = {}  # seconds per table or phase, wall-clock
CPU_TIMINGS: dict[str, float] = {}  # the same, CPU time of this process (SQLite works in it)


class Hash:
    """``h(i, stream)``: a deterministic integer hash in ``[0, P)`` of a non-negative integer.

    ``x = (i * a + b) % P``, then ``(x * x + d) % P`` with ``P = 2^31 - 1`` and ``a, b, d``
    drawn per seed and stream; ``x * x`` stays below 2^62, so SQLite and PostgreSQL compute the
    same value with 64-bit integers, and :meth:`value` computes it in Python. The SQL is meant for
    statements executed with parameters (a list, maybe empty): the modulo is written ``%%``.
    """

    P = 2_147_483_647

    def __init__(self, seed: int):
        self.seed = seed

    def constants(self, stream: str) -> tuple[int, int, int]:
        rnd = random.Random(f"optovik-generate-{self.seed}-{stream}")
        return rnd.randrange(1 << 20, self.P), rnd.randrange(self.P), rnd.randrange(self.P)

    def value(self, i: int, stream: str) -> int:
        a, b, d = self.constants(stream)
        x = (i * a + b) % self.P
        return (x * x + d) % self.P

    def sql(self, expr: str, stream: str) -> str:
        a, b, d = self.constants(stream)
        x = f"(CAST({expr} AS BIGINT) * {a} + {b}) %% {self.P}"
        return f"((({x}) * ({x}) + {d}) %% {self.P})"


# Vendor differences, kept small ----------------------------------------------------------------


def _postgres() -> bool:
    return connection.vendor == "postgresql"


def _text(expr: str) -> str:
    return f"CAST({expr} AS TEXT)"


def _pad(expr: str, width: int, top: int) -> str:
    """``expr`` zero-padded to ``width`` digits (longer numbers unchanged); ``top`` bounds it."""
    if not _postgres():
        return f"printf('%%0{width}d', {expr})"
    padded = f"lpad({_text(expr)}, {width}, '0')"
    return padded if top < 10**width else f"CASE WHEN {expr} < {10**width} THEN {padded} ELSE {_text(expr)} END"


def _tmp(name: str) -> str:
    return f"{'pg_temp' if _postgres() else 'temp'}.gen_{name}"


def _temp_table(cursor, name: str, columns: str, rows: list[tuple]) -> None:
    cursor.execute(f"DROP TABLE IF EXISTS {_tmp(name)}")
    cursor.execute(f"CREATE TEMP TABLE gen_{name} ({columns})")
    marks = ", ".join(["%s"] * len(rows[0]))
    cursor.executemany(f"INSERT INTO {_tmp(name)} VALUES ({marks})", rows)  # noqa: S608
    if _postgres():
        cursor.execute(f"ANALYZE {_tmp(name)}")


def _now_value():
    now = timezone.now()
    return now if _postgres() else now.astimezone(dt.UTC).strftime("%Y-%m-%d %H:%M:%S.%f")


@contextlib.contextmanager
def _timed(label: str):
    started, cpu = time.monotonic(), time.process_time()
    try:
        yield
    finally:
        TIMINGS[label] = TIMINGS.get(label, 0.0) + time.monotonic() - started
        CPU_TIMINGS[label] = CPU_TIMINGS.get(label, 0.0) + time.process_time() - cpu


def _insert(table: str, columns: tuple[str, ...], rows: list[tuple]) -> None:
    if not rows:
        return
    with _timed(table), connection.cursor() as cursor:
        marks = ", ".join(["%s"] * len(columns))
        cursor.executemany(f"INSERT INTO {table} ({', '.join(columns)}) VALUES ({marks})", rows)  # noqa: S608


def _next_id(table: str) -> int:
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT COALESCE(MAX(id), 0) + 1 FROM {table}")  # noqa: S608
        return cursor.fetchone()[0]


def _sync_sequences(tables) -> None:
    if not _postgres():
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


def _secondary_indexes(cursor) -> list[tuple[str, str]]:
    """(name, CREATE statement) of the indexes of the big tables that no constraint owns."""
    tables = ", ".join(f"'{t}'" for t in BULK_TABLES)
    if _postgres():
        cursor.execute(
            "SELECT i.indexname, i.indexdef FROM pg_indexes i WHERE i.schemaname = current_schema() "  # noqa: S608
            f"AND i.tablename IN ({tables}) AND NOT EXISTS (SELECT 1 FROM pg_constraint c "
            "WHERE c.conindid = (quote_ident(i.schemaname) || '.' || quote_ident(i.indexname))::regclass)"
        )
    else:
        cursor.execute(
            "SELECT name, sql FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL "  # noqa: S608
            f"AND tbl_name IN ({tables})"
        )
    return cursor.fetchall()


def _sqlite_journal_off_wal(cursor) -> str | None:
    """Leaves WAL mode for a rollback journal if nobody else has the file open; returns the
    mode to go back to, or None."""
    cursor.execute("PRAGMA journal_mode")
    if cursor.fetchone()[0] != "wal":
        return None
    cursor.execute("PRAGMA busy_timeout")
    timeout = cursor.fetchone()[0]
    cursor.execute("PRAGMA busy_timeout = 0")
    try:
        cursor.execute("PRAGMA journal_mode = DELETE")
        return "WAL" if cursor.fetchone()[0] == "delete" else None
    except DatabaseError:  # "database is locked": another connection; stay in WAL mode
        return None
    finally:
        cursor.execute(f"PRAGMA busy_timeout = {int(timeout)}")


def _sqlite_pragmas(cursor, **values) -> dict:
    """Sets SQLite pragmas; returns their previous values, to set them back."""
    previous = {}
    for name, value in values.items():
        cursor.execute(f"PRAGMA {name}")
        previous[name] = cursor.fetchone()[0]
        cursor.execute(f"PRAGMA {name} = {value}")
    return previous


def _fts_settings_sql(settings: dict) -> list[str]:
    return [
        f"INSERT INTO {table} ({table}, rank) VALUES ('{name}', {int(value)})"  # noqa: S608
        for table in (sqlite.FTS, sqlite.TRGM)
        for name, value in settings.items()
    ]


def _fts_settings(cursor, settings: dict) -> None:
    for sql in _fts_settings_sql(settings):
        cursor.execute(sql)


@contextlib.contextmanager
def _bulk_load(*, search_index: bool = True):
    """The secondary indexes of the big tables dropped while loading and built again (sorted,
    much faster) at the end. On SQLite also no foreign-key checks, no fsync, a rollback journal
    instead of the write-ahead log (new pages are then written once, not to the log and again to
    the file), a large page cache, and big FTS flushes with no merging until the final optimize,
    the indexes sorted in small runs by worker threads, and every setting back afterwards; on
    PostgreSQL more memory for the index builds. ``search_index=False``: the search tables are
    not written by this connection (:class:`SearchIndexAside` writes them)."""
    sqlite_db = connection.vendor == "sqlite"
    outside_transaction = not connection.in_atomic_block
    journal, restore = None, {}
    with _timed("(drop secondary indexes)"), connection.cursor() as cursor:
        indexes = _secondary_indexes(cursor)
        if sqlite_db:
            if outside_transaction:  # these pragmas cannot change inside a transaction
                restore = _sqlite_pragmas(cursor, foreign_keys=0, synchronous=0)
                journal = _sqlite_journal_off_wal(cursor)
            restore = _sqlite_pragmas(cursor, cache_size=-LOAD_CACHE_KB) | restore
            if search_index:
                _fts_settings(cursor, FTS_LOADING)
        for name, _sql in indexes:
            cursor.execute(f'DROP INDEX "{name}"')
    try:
        yield
    finally:
        with _timed("(secondary indexes)"), connection.cursor() as cursor:
            if sqlite_db and outside_transaction:
                # SQLite sorts the keys of a new index in runs the size of its page cache. Small runs
                # (4 MB, they fit the processor's caches) in temporary files, sorted and merged by
                # worker threads, build the indexes twice as fast as one big sort in memory: 18 s
                # instead of 39 s at a million products on two cores (20 s in one thread). Changing
                # temp_store drops temporary tables and is refused inside a transaction.
                threads = os.cpu_count() or 1
                restore = _sqlite_pragmas(cursor, cache_size=-SORT_RUN_KB, temp_store=1, threads=threads) | restore
            elif not sqlite_db:
                cursor.execute("SET maintenance_work_mem = '512MB'")
            for _name, sql in indexes:
                cursor.execute(sql)
            if not sqlite_db:
                cursor.execute("RESET maintenance_work_mem")
        with connection.cursor() as cursor:
            if sqlite_db:
                if search_index:
                    _fts_settings(cursor, FTS_USUAL)
                if journal:  # the next connection would switch back anyway (settings)
                    with contextlib.suppress(DatabaseError):
                        cursor.execute(f"PRAGMA journal_mode = {journal}")
                _sqlite_pragmas(cursor, **restore)


@contextlib.contextmanager
def _bulk_transaction():
    """A transaction for bulk statements. On PostgreSQL the commit does not wait for the WAL
    flush and, when the role may (a superuser), the per-row foreign-key triggers stay off: the
    generated rows reference existing rows only (SQLite loads with ``foreign_keys = OFF``)."""
    with transaction.atomic(), connection.cursor() as cursor:
        replica = False
        if _postgres():
            cursor.execute("SET LOCAL synchronous_commit = off")
            try:
                with transaction.atomic():  # a savepoint: refused to an ordinary role
                    cursor.execute("SET LOCAL session_replication_role = replica")
                replica = True
            except DatabaseError:
                pass
        yield cursor
        if replica:
            cursor.execute("SET LOCAL session_replication_role = DEFAULT")


class SearchIndexAside:
    """The search-index rows of a load written by another process (SQLite, outside a transaction).

    On SQLite the FTS5 rows (stemmed words and article trigrams) are a quarter of a load's time,
    and one connection at a time may write a database file. So the search tables are copied, with
    the tables FTS5 keeps them in (segments, content, sizes, configuration), to a file of their
    own; a second process (:mod:`optovik.core.sqlite_worker`) writes the new rows there, merges
    the segments and puts the usual FTS5 settings back, while this connection writes everything
    else on the other core; then the tables are copied back whole in one transaction (1.6 s at a
    million products). FTS5 keeps state per connection, so this connection does not open the
    search tables until then and is closed at the end of the load. Should the other process fail
    (killed, out of memory), nothing is copied and the whole index is rebuilt in this connection.
    Tests compare the result with a load written by one connection, and check the fallback."""

    SHADOW = ("data", "idx", "content", "docsize", "config")

    def __init__(self):
        self.directory = tempfile.mkdtemp(prefix="optovik-search-")
        self.path = os.path.join(self.directory, "search.sqlite3")
        self.process = None
        self.elapsed = None

    @staticmethod
    def possible() -> bool:
        return (
            connection.vendor == "sqlite"
            and backend() is sqlite
            and not connection.in_atomic_block  # ATTACH is refused inside a transaction
            and not connection.is_in_memory_db()
            and (os.cpu_count() or 1) > 1
        )

    def begin(self, *, tables: dict, numbers: int, statements: list[list[str]]) -> None:
        """Copies the search tables to the side file and starts writing ``statements`` (one list
        per transaction) there, over the temporary ``tables`` and the numbers 0 … ``numbers`` - 1."""
        with _timed("(search index, copy out)"), connection.cursor() as cursor:
            cursor.execute("ATTACH DATABASE %s AS gen_search", [self.path])
            try:
                for table in (sqlite.FTS, sqlite.TRGM):
                    cursor.execute("SELECT sql FROM sqlite_master WHERE type = 'table' AND name = %s", [table])
                    ddl = cursor.fetchone()[0]
                    cursor.execute(re.sub(r"^CREATE VIRTUAL TABLE\s+(IF NOT EXISTS\s+)?", "\\g<0>gen_search.", ddl))
                with transaction.atomic():
                    self._copy(cursor, source="main", target="gen_search")
            finally:
                cursor.execute("DETACH DATABASE gen_search")
        setup = [
            "PRAGMA journal_mode = OFF",  # a scratch file
            "PRAGMA synchronous = OFF",
            f"PRAGMA cache_size = -{LOAD_CACHE_KB}",
            *_fts_settings_sql(FTS_LOADING),
            *(f"CREATE TEMP TABLE gen_{name} ({columns})" for name, (columns, _rows) in tables.items()),
            "CREATE TEMP TABLE gen_n (n INTEGER PRIMARY KEY)",
            "INSERT INTO temp.gen_n (n) WITH RECURSIVE s(n) AS (SELECT 0 UNION ALL SELECT n + 1 FROM s "  # noqa: S608
            f"WHERE n < {numbers - 1}) SELECT n FROM s",
        ]
        rows = [
            (f"INSERT INTO temp.gen_{name} VALUES ({', '.join('?' * len(values[0]))})", values)  # noqa: S608
            for name, (_columns, values) in tables.items()
            if values
        ]
        batches = [[sql.replace("%%", "%") for sql in batch] for batch in statements]  # no parameters there
        finish = [f"INSERT INTO {t} ({t}) VALUES ('optimize')" for t in (sqlite.FTS, sqlite.TRGM)]  # noqa: S608
        context = multiprocessing.get_context("spawn")  # a fresh interpreter: nothing of this one's state
        self.elapsed = context.Value("d", 0.0)
        self.process = context.Process(
            target=sqlite_worker.run_script,
            args=(self.path, setup, rows, batches, finish + _fts_settings_sql(FTS_USUAL), self.elapsed),
            name="optovik-search-index",
            daemon=True,
        )
        self.process.start()

    def finish(self) -> bool:
        """Waits for the other process and copies the search tables back over the database's;
        ``False`` if the process failed (nothing is copied then)."""
        try:
            with _timed("(search index, waiting)"):
                self.process.join()
            if self.process.exitcode != 0:
                return False
            TIMINGS["(search index, in another process)"] = self.elapsed.value
            with _timed("(search index, copy back)"), connection.cursor() as cursor:
                cursor.execute("ATTACH DATABASE %s AS gen_search", [self.path])
                try:
                    with transaction.atomic():
                        self._copy(cursor, source="gen_search", target="main")
                finally:
                    cursor.execute("DETACH DATABASE gen_search")
            return True
        finally:
            shutil.rmtree(self.directory, ignore_errors=True)

    def abandon(self) -> None:
        if self.process is not None and self.process.is_alive():
            self.process.terminate()
            self.process.join()
        shutil.rmtree(self.directory, ignore_errors=True)

    def _copy(self, cursor, *, source: str, target: str) -> None:
        names = [f"{table}_{part}" for table in (sqlite.FTS, sqlite.TRGM) for part in self.SHADOW]
        cursor.execute(
            f"SELECT name FROM sqlite_master WHERE type = 'table' AND name IN ({', '.join(['%s'] * len(names))})",  # noqa: S608
            names,
        )
        present = {row[0] for row in cursor.fetchall()}
        for name in (n for n in names if n in present):
            cursor.execute(f'DELETE FROM {target}."{name}"')  # noqa: S608
            cursor.execute(f'INSERT INTO {target}."{name}" SELECT * FROM {source}."{name}"')  # noqa: S608


class Generator:
    def __init__(self, *, seed: int, stdout=None):
        self.rnd = random.Random(seed)
        self.seed = seed
        self.hash = Hash(seed)
        self.stdout = stdout
        self.numbers_made = 0
        self.tables: dict[str, tuple[str, list[tuple]]] = {}  # temporary table: (columns, rows)

    def numbers(self, first: int, last: int) -> tuple[str, str, str]:
        """A ``FROM`` item, its condition and the expression of the product number, giving
        ``first`` … ``last``: ``generate_series`` on PostgreSQL; on SQLite a temporary table of
        0 … n (a scan of it costs a tenth of a recursive CTE)."""
        if _postgres():
            return f"generate_series(CAST({first} AS BIGINT), CAST({last} AS BIGINT)) AS seq(n)", "TRUE", "seq.n"
        size = last - first + 1
        with connection.cursor() as cursor:
            if self.numbers_made == 0:
                cursor.execute(f"DROP TABLE IF EXISTS {_tmp('n')}")
                cursor.execute("CREATE TEMP TABLE gen_n (n INTEGER PRIMARY KEY)")
            if self.numbers_made < size:
                cursor.execute(
                    f"INSERT INTO {_tmp('n')} (n) WITH RECURSIVE s(n) AS (SELECT {self.numbers_made} "  # noqa: S608
                    f"UNION ALL SELECT n + 1 FROM s WHERE n < {size - 1}) SELECT n FROM s"
                )
                self.numbers_made = size
        return f"{_tmp('n')} seq", f"seq.n < {size}", f"({first} + seq.n)"

    def drop_temporary_tables(self) -> None:
        names = list(self.tables)
        if self.numbers_made:
            names.append("n")
            self.numbers_made = 0
        with connection.cursor() as cursor:
            for name in names:
                cursor.execute(f"DROP TABLE IF EXISTS {_tmp(name)}")

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
        self.attributes = []  # (id, kind, [(option id, value)] or None)
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
            self.attributes.append((attribute.pk, attribute.kind, options))
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
        self.warehouses = list(Warehouse.objects.filter(is_active=True).order_by("pk").values_list("id", flat=True))

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
            slots = tuple(self.rnd.sample(range(ATTRIBUTE_COUNT), SLOTS_PER_LEAF))
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

    def vocabulary(self, leaves) -> None:
        """The small temporary tables the product statements pick rows from by hash."""
        rnd = random.Random(f"optovik-generate-{self.seed}-base")
        bases = [
            int(math.exp(7 + 1.2 * (rnd.random() + rnd.random() + rnd.random() - 1.5))) + 10 for _ in range(BASE_PRICES)
        ]
        values, value_base = [], {}  # every value an attribute can take, numbered per attribute
        for attribute_id, kind, options in self.attributes:
            if kind == Attribute.Kind.ENUM:
                choices = [(option_id, key, None) for option_id, key in options]
            elif kind == Attribute.Kind.NUMBER:
                choices = [(None, str(5 + 5 * k), 5 + 5 * k) for k in range(59)]
            elif kind == Attribute.Kind.BOOLEAN:
                choices = [(None, "1", None)] * 2 + [(None, "0", None)] * 3  # 40 % yes
            else:
                choices = [(None, word, None) for word in ADJECTIVES]
            if not choices:  # an enumeration without options gets no values
                continue
            value_base[attribute_id] = (len(values), len(choices))
            values += [(len(values) + k, attribute_id, *choice) for k, choice in enumerate(choices)]
        attributes = [a[0] for a in self.attributes]
        slots = []
        for idx, (_leaf_id, _noun, leaf_slots) in enumerate(leaves):
            for s, slot in enumerate(leaf_slots):
                if attributes[slot] in value_base:
                    base, n_values = value_base[attributes[slot]]
                    slots.append((idx * SLOTS_PER_LEAF + s, attributes[slot], base, n_values))
        self.tables = {
            "leaf": (
                "idx INTEGER PRIMARY KEY, category_id BIGINT, noun TEXT, stem TEXT",
                [(k, pk, noun, stemmed_text(noun)) for k, (pk, noun, _slots) in enumerate(leaves)],
            ),
            "slot": ("idx INTEGER PRIMARY KEY, attribute_id BIGINT, value_base INTEGER, value_count INTEGER", slots),
            "value": (
                "idx INTEGER PRIMARY KEY, attribute_id BIGINT, option_id BIGINT, value_key TEXT, value_number NUMERIC",
                values,
            ),
            "brand": (
                "idx INTEGER PRIMARY KEY, brand_id BIGINT, name TEXT, stem TEXT",
                [(k, pk, name, stemmed_text(name)) for k, (pk, name) in enumerate(self.brands)],
            ),
            "word": (
                "idx INTEGER PRIMARY KEY, word TEXT, stem TEXT",
                [(k, word, stemmed_text(word)) for k, word in enumerate(ADJECTIVES)],
            ),
            "base": ("idx INTEGER PRIMARY KEY, base BIGINT", list(enumerate(bases))),
            "price_type": (
                "idx INTEGER PRIMARY KEY, price_type_id BIGINT, cents BIGINT",
                [(k, pk, int(factor * 100)) for k, (pk, factor) in enumerate(self.price_types)],
            ),
            "warehouse": ("idx INTEGER PRIMARY KEY, warehouse_id BIGINT", list(enumerate(self.warehouses))),
            "k": ("k INTEGER PRIMARY KEY", [(k,) for k in range(STOCK_PER_PRODUCT)]),
            "level": (
                "idx INTEGER PRIMARY KEY, on_hand BIGINT, reserved BIGINT",
                [(k, level, level // 10) for k, level in enumerate(STOCK_LEVELS)],
            ),
        }
        with connection.cursor() as cursor:
            for name, (columns, rows) in self.tables.items():
                _temp_table(cursor, name, columns, rows)
        self.n_leaves, self.n_brands = len(leaves), len(self.brands)

    def statements(self, *, start_id: int, first: int, last: int, top: int) -> list[tuple[str, str, list]]:
        """(table, SQL, parameters) writing products number ``first`` … ``last`` (id ``start_id + i``)
        and their rows; ``top`` is the largest product number of the whole run. On SQLite the
        ``CROSS JOIN`` order makes the numbers the outer loop: rows arrive in id order."""
        h = self.hash.sql
        seq, where, i = self.numbers(first, last)
        pid = f"({start_id} + {i})"
        leaf = f"{h(i, 'leaf')} %% {self.n_leaves}"
        size = f"(10 + {h(i, 'size')} %% 490)"
        letter = f"substr('{MODEL_LETTERS}', CAST(1 + {h(i, 'letter')} %% {len(MODEL_LETTERS)} AS INTEGER), 1)"
        number = f"(100 + {h(i, 'model')} %% 900)"
        model = f"{letter} || {_text(size)} || '-' || {_text(number)}"
        serial = _pad(f"{i} + 1", 7, top + 1)
        article = f"'G{self.seed}-' || {serial}"
        archived = f"{h(i, 'status')} %% 100 < {ARCHIVED_PERCENT}"
        status = f"CASE WHEN {archived} THEN 'archived' ELSE 'active' END"
        units = "".join(f" WHEN {k} THEN {u.pk}" for k, u in enumerate(self.units))
        unit = f"CASE {i} %% {len(self.units)}{units} END"
        n_wh = len(self.warehouses)
        per_product = min(STOCK_PER_PRODUCT, n_wh)
        step = 7 if n_wh > 14 else 1  # three different warehouses
        # EAN-13 of "2" + the id on 11 digits: weights 1, 3, 1, … from the left, so 3 on the units.
        weighted = " + ".join(f"({pid} / {10**e} %% 10) * {3 if e % 2 == 0 else 1}" for e in range(11))
        check = f"(10 - (2 + {weighted}) %% 10) %% 10"
        now = _now_value()
        picked = (
            f"FROM {seq} CROSS JOIN {_tmp('leaf')} l CROSS JOIN {_tmp('brand')} b CROSS JOIN {_tmp('word')} a "
            f"WHERE {where} AND l.idx = {leaf} AND b.idx = {h(i, 'brand')} %% {self.n_brands} "
            f"AND a.idx = {h(i, 'adjective')} %% {len(ADJECTIVES)}"
        )
        result = [
            (
                "catalog_product",
                "INSERT INTO catalog_product (id, created_at, updated_at, external_id, article, code, name, "
                "description, pack_multiplicity, min_order_quantity, weight_kg, volume_m3, status, brand_id, "
                f"category_id, unit_id, vat_rate_id) SELECT {pid}, %s, %s, 'gen-' || {article}, {article}, "
                f"{_text(pid)}, l.noun || ' ' || a.word || ' ' || b.name || ' ' || {model}, "
                f"'<p>' || l.noun || ' ' || b.name || ': ' || a.word || ', размер ' || {_text(size)} || '. Код ' "
                f"|| {article} || '.</p>', 1, 1, {size} / 10.0, NULL, {status}, b.brand_id, l.category_id, "
                f"{unit}, {self.vat.pk} {picked}",
                [now, now],
            ),
            (
                "catalog_productattributevalue",
                "INSERT INTO catalog_productattributevalue (product_id, attribute_id, value_key, value_number, "  # noqa: S608
                f"option_id, listed_category_id) SELECT {pid}, v.attribute_id, v.value_key, v.value_number, "
                f"v.option_id, CASE WHEN {archived} THEN NULL ELSE l.category_id END FROM {seq} "
                f"CROSS JOIN {_tmp('leaf')} l CROSS JOIN {_tmp('slot')} s CROSS JOIN {_tmp('value')} v "
                f"WHERE {where} AND l.idx = {leaf} "
                f"AND s.idx BETWEEN l.idx * {SLOTS_PER_LEAF} AND l.idx * {SLOTS_PER_LEAF} + 2 + {i} %% 3 "
                f"AND v.idx = s.value_base + {h(f'{i} * {SLOTS_PER_LEAF} + s.idx %% {SLOTS_PER_LEAF}', 'value')} "
                "%% s.value_count",
                [],
            ),
            (
                "pricing_price",
                f"INSERT INTO pricing_price (product_id, price_type_id, price) SELECT {pid}, t.price_type_id, "  # noqa: S608
                f"b.base * t.cents / 100.0 FROM {seq} CROSS JOIN {_tmp('base')} b CROSS JOIN {_tmp('price_type')} t "
                f"WHERE {where} AND b.idx = {h(i, 'base')} %% {BASE_PRICES}",
                [],
            ),
            (
                "inventory_stock",
                "INSERT INTO inventory_stock (product_id, warehouse_id, on_hand, reserved) "  # noqa: S608
                f"SELECT {pid}, w.warehouse_id, v.on_hand, v.reserved FROM {seq} CROSS JOIN {_tmp('k')} k "
                f"CROSS JOIN {_tmp('warehouse')} w CROSS JOIN {_tmp('level')} v WHERE {where} AND k.k < {per_product} "
                f"AND w.idx = ({h(i, 'warehouse')} %% {n_wh} + k.k * {step}) %% {n_wh} "
                f"AND v.idx = {h(f'{i} * {STOCK_PER_PRODUCT} + k.k', 'level')} %% {len(STOCK_LEVELS)}",
                [],
            ),
            (
                "catalog_barcode",
                "INSERT INTO catalog_barcode (product_id, code) "  # noqa: S608
                f"SELECT {pid}, '2' || {_pad(pid, 11, start_id + top)} || {_text(check)} FROM {seq} WHERE {where}",
                [],
            ),
        ]
        if backend() is sqlite:  # the words as ``sqlite.index_update`` would stem them
            result += [
                (
                    sqlite.FTS,
                    f"INSERT INTO {sqlite.FTS} (rowid, name, body) SELECT {pid}, "
                    f"l.stem || ' ' || a.stem || ' ' || b.stem || ' ' || lower({letter}) || {_text(size)} || ' ' "
                    f"|| {_text(number)}, l.stem || ' ' || b.stem || ' ' || a.stem || ' размер ' || {_text(size)} "
                    f"|| ' код g{self.seed} ' || {serial} {picked}",
                    [],
                ),
                (
                    sqlite.TRGM,
                    f"INSERT INTO {sqlite.TRGM} (rowid, article) SELECT {pid}, {article} FROM {seq} WHERE {where}",  # noqa: S608
                    [],
                ),
            ]
        return result

    def products(self, *, count: int, leaves, batch_size: int | None = None, aside=None) -> int:
        """Writes ``count`` products and their rows; returns the id of the first one (the ids
        follow each other). With ``aside`` (a :class:`SearchIndexAside`) the search-index rows
        are written by it, on another core."""
        start_id = _next_id("catalog_product")
        with _timed("(vocabulary)"):
            self.vocabulary(leaves)
        batch = batch_size or BATCH.get(connection.vendor) or count
        try:
            plan = [
                self.statements(start_id=start_id, first=first, last=min(count, first + batch) - 1, top=count - 1)
                for first in range(0, count, batch)
            ]
            if aside is not None:
                search = (sqlite.FTS, sqlite.TRGM)
                aside.begin(
                    tables=self.tables,
                    numbers=self.numbers_made,
                    statements=[[sql for table, sql, _ in statements if table in search] for statements in plan],
                )
                plan = [[s for s in statements if s[0] not in search] for statements in plan]
            for statements in plan:
                with _bulk_transaction() as cursor:
                    for table, sql, params in statements:
                        with _timed(table):
                            cursor.execute(sql, params)
        finally:
            self.drop_temporary_tables()
        return start_id

    def contracts(self, *, start_id: int, count: int) -> None:
        """Contract prices on every 50th product for each contract; a specification for
        "specification only" contracts."""
        contracts = list(Contract.objects.order_by("pk").values_list("pk", "specification_only"))
        prices, spec = 0, []
        try:
            with _timed("pricing_contractprice"), connection.cursor() as cursor:
                for contract_id, spec_only in contracts:
                    offset = contract_id % CONTRACT_PRICE_EVERY
                    if offset < count:
                        seq, where, n = self.numbers(0, (count - 1 - offset) // CONTRACT_PRICE_EVERY)
                        i = f"({offset} + {CONTRACT_PRICE_EVERY} * {n})"
                        price = f"(100 + {self.hash.sql(i, f'contract-{contract_id}')} %% 99900) / 10.0"
                        cursor.execute(
                            "INSERT INTO pricing_contractprice (contract_id, product_id, price, vat_included) "  # noqa: S608
                            f"SELECT {contract_id}, {start_id} + {i}, {price}, TRUE FROM {seq} WHERE {where}",
                            [],
                        )
                        prices += cursor.rowcount
                    if spec_only:
                        picked = self.rnd.sample(range(count), min(SPECIFICATION_SIZE, count))
                        spec += [(contract_id, start_id + i, None, True, None) for i in picked]
        finally:
            self.drop_temporary_tables()
        _insert(
            "pricing_specificationitem",
            ("contract_id", "product_id", "fixed_price", "vat_included", "max_quantity"),
            spec,
        )
        self.say(f"  {prices} contract prices, {len(spec)} specification lines")


def generate_catalog(*, products: int, seed: int = 1, batch_size: int | None = None, stdout=None) -> dict:
    """Writes a synthetic catalog of ``products`` products; returns counts and timings."""
    TIMINGS.clear()
    CPU_TIMINGS.clear()
    generator = Generator(seed=seed, stdout=stdout)
    started = time.monotonic()
    with _timed("(reference data, categories)"), transaction.atomic():
        generator.reference()
        leaves = generator.categories()
    aside = SearchIndexAside() if SearchIndexAside.possible() else None
    with _bulk_load(search_index=aside is None):
        try:
            start_id = generator.products(count=products, leaves=leaves, batch_size=batch_size, aside=aside)
            with _timed("catalog_categoryproduct"), _bulk_transaction():
                category_products_rebuild()
        except BaseException:
            if aside is not None:
                aside.abandon()
            raise
        if aside is not None and not aside.finish():
            generator.say(f"  The search-index process failed (exit code {aside.process.exitcode}); indexing here.")
            aside = None
            with _timed("(search index, rebuilt here)"):
                search_index_rebuild()
    written = time.monotonic()
    with _bulk_transaction():
        generator.contracts(start_id=start_id, count=products)
    _sync_sequences(
        ("catalog_category", "catalog_product", "catalog_productattributevalue", "catalog_barcode", "pricing_price",
         "inventory_stock", "pricing_contractprice", "pricing_specificationitem")
    )  # fmt: skip
    if aside is None:  # the other connection has merged its segments
        with _timed("(search index optimize)"):
            backend().index_optimize()
    with _timed("(analyze)"), connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    if connection.vendor == "postgresql" and not connection.in_atomic_block:
        # The visibility map of the new rows, which index-only scans rely on: autovacuum would set
        # it some time later; until then pages right after a load visit the tables instead.
        with _timed("(vacuum)"), connection.cursor() as cursor:
            cursor.execute(f"VACUUM {', '.join(BULK_TABLES)}")
    finished = time.monotonic()
    total = Product.objects.count()
    if aside is not None:  # nothing FTS5 may have cached in this connection outlives the copied tables
        connection.close()
    return {
        "products": products,
        "first_id": start_id,
        "seconds": finished - started,
        "rate": products / max(finished - started, 1e-9),
        "write_seconds": written - started,
        "total_products": total,
    }
