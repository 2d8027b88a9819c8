"""The full-text search index, different per database vendor (see ``optovik.catalog.search``).

SQLite: two FTS5 tables keyed by the product id (rowid): ``catalog_product_fts`` holds the stemmed
words of the name and the description (stemmed in Python), ``catalog_article_trgm`` the articles
for typo-tolerant trigram matching. The application keeps them in step with the products.

PostgreSQL: a generated ``tsvector`` column with the ``russian`` configuration and a GIN index,
plus a ``pg_trgm`` GIN index on the article. The database keeps them in step itself.
"""

from django.db import migrations

SQLITE_FORWARD = [
    "CREATE VIRTUAL TABLE IF NOT EXISTS catalog_product_fts USING fts5("
    "name, body, tokenize='unicode61 remove_diacritics 2', prefix='2 3')",
    "CREATE VIRTUAL TABLE IF NOT EXISTS catalog_article_trgm USING fts5(article, tokenize='trigram')",
]
SQLITE_BACKWARD = ["DROP TABLE IF EXISTS catalog_article_trgm", "DROP TABLE IF EXISTS catalog_product_fts"]

POSTGRES_FORWARD = [
    "CREATE EXTENSION IF NOT EXISTS pg_trgm",
    "ALTER TABLE catalog_product ADD COLUMN search_vector tsvector GENERATED ALWAYS AS ("
    "setweight(to_tsvector('russian'::regconfig, coalesce(name, '')), 'A') || "
    "setweight(to_tsvector('russian'::regconfig, coalesce(article, '') || ' ' || coalesce(code, '')), 'A') || "
    "setweight(to_tsvector('russian'::regconfig, regexp_replace(coalesce(description, ''), '<[^>]*>', ' ', 'g')), 'C')"
    ") STORED",
    "CREATE INDEX catalog_product_search_vector ON catalog_product USING gin (search_vector)",
    "CREATE INDEX catalog_product_article_trgm ON catalog_product USING gin (article gin_trgm_ops)",
    "CREATE INDEX catalog_product_article_range ON catalog_product (article varchar_pattern_ops)",
]
POSTGRES_BACKWARD = [
    "DROP INDEX IF EXISTS catalog_product_article_range",
    "DROP INDEX IF EXISTS catalog_product_article_trgm",
    "DROP INDEX IF EXISTS catalog_product_search_vector",
    "ALTER TABLE catalog_product DROP COLUMN IF EXISTS search_vector",
]


def _run(statements_by_vendor):
    def run(apps, schema_editor):
        for sql in statements_by_vendor.get(schema_editor.connection.vendor, ()):
            schema_editor.execute(sql)

    return run


class Migration(migrations.Migration):
    dependencies = [("catalog", "0001_initial")]

    operations = [
        migrations.RunPython(
            _run({"sqlite": SQLITE_FORWARD, "postgresql": POSTGRES_FORWARD}),
            _run({"sqlite": SQLITE_BACKWARD, "postgresql": POSTGRES_BACKWARD}),
        )
    ]
