"""PostgreSQL's search words are what lies between punctuation, as on SQLite, and a tyre's rim
size is also found by its number on both.

The query's words are split in Python (``search.text.words``: runs of letters and digits), and so
is the text SQLite indexes. PostgreSQL's own parser kept some punctuation inside its tokens: a
tyre's "205/55" was one word (a file path to the parser), "ПП-60/27" and "ПФ-115" too, so "205/55
r16" typed by a buyer, split into "205", "55" and "r16", found nothing there while SQLite found the
tyre. The generated ``search_vector`` now replaces punctuation with spaces before parsing: ASCII
punctuation but the underscore (a word character in Python too), HTML entities of the description,
and the typographic marks of Russian texts (quotes, dashes, №, °, ×). A rim size in the name or
the description ("R16", "R17C", the "R22" of "R22.5") is indexed with its bare number too, as
``search.text.stemmed_text`` does for SQLite: buyers type "205 55 16" as often as "205/55 R16";
and a size written together ("205/55R16") is split as ``search.text.words`` splits it.

Changing a generated column's expression means dropping and adding it again: PostgreSQL computes
it for every product (a table rewrite) and the GIN index is built again. On SQLite, where the index
rows are written in Python, the products with a rim size in their name or description have theirs
written again.
"""

from django.db import migrations

PUNCTUATION = r"[\x21-\x2F\x3A-\x40\x5B-\x5E\x60\x7B-\x7E«»‹›„“”‘’—–…×№°±·]+"
ENTITY = r"&#?[A-Za-z0-9]+;"
RIM = r"\m([rR])([0-9]{2})([cC]?)\M"
SIZE = r"([0-9])([rR][0-9]{2}[cC]?)\M"
TAGS = "<[^>]*>"


def _words(expr: str) -> str:
    return f"regexp_replace({expr}, '{PUNCTUATION}', ' ', 'g')"


def _rims(expr: str) -> str:
    apart = f"regexp_replace({expr}, '{SIZE}', '\\1 \\2', 'g')"  # "55R16" → "55 R16"
    return f"regexp_replace({apart}, '{RIM}', '\\1\\2\\3 \\2', 'g')"


def _vector(name: str, codes: str, description: str) -> str:
    return (
        f"setweight(to_tsvector('russian'::regconfig, {name}), 'A') || "
        f"setweight(to_tsvector('russian'::regconfig, {codes}), 'A') || "
        f"setweight(to_tsvector('russian'::regconfig, {description}), 'C')"
    )


OLD = _vector(
    "coalesce(name, '')",
    "coalesce(article, '') || ' ' || coalesce(code, '')",
    f"regexp_replace(coalesce(description, ''), '{TAGS}', ' ', 'g')",
)
NEW = _vector(
    _rims(_words("coalesce(name, '')")),
    _words("coalesce(article, '') || ' ' || coalesce(code, '')"),
    _rims(
        _words(f"regexp_replace(regexp_replace(coalesce(description, ''), '{TAGS}', ' ', 'g'), '{ENTITY}', ' ', 'g')")
    ),
)


def _statements(expression: str) -> list[str]:
    return [
        "ALTER TABLE catalog_product DROP COLUMN IF EXISTS search_vector",  # its index goes with it
        f"ALTER TABLE catalog_product ADD COLUMN search_vector tsvector GENERATED ALWAYS AS ({expression}) STORED",
        "CREATE INDEX catalog_product_search_vector ON catalog_product USING gin (search_vector)",
        "ANALYZE catalog_product",
    ]


def _run(expression: str):
    def run(apps, schema_editor):
        if schema_editor.connection.vendor == "postgresql":
            for sql in _statements(expression):
                schema_editor.execute(sql)

    return run


def reindex_rim_sizes(apps, schema_editor):
    """SQLite: the index rows of the products that may name a rim size, written again with its
    number. A coarse filter (R and two digits anywhere); the index rows come out the same for the
    others."""
    if schema_editor.connection.vendor != "sqlite":
        return
    from optovik.catalog.search import search_index_update  # the index as the application writes it

    with schema_editor.connection.cursor() as cursor:
        cursor.execute(
            "SELECT id FROM catalog_product WHERE name GLOB '*[Rr][0-9][0-9]*' "
            "OR description GLOB '*[Rr][0-9][0-9]*'"
        )
        ids = [row[0] for row in cursor.fetchall()]
    search_index_update(product_ids=ids)


class Migration(migrations.Migration):
    dependencies = [("catalog", "0009_listing_available")]

    operations = [
        migrations.RunPython(_run(NEW), _run(OLD)),
        migrations.RunPython(reindex_rim_sizes, migrations.RunPython.noop),
    ]
