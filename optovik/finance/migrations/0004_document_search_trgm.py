"""Trigram indexes for the documents archive search on PostgreSQL.

The archive searches number, title and file name with ``icontains`` (``UPPER(col::text) LIKE``);
these GIN trigram indexes on the same expressions answer it without reading every row. SQLite has
nothing to add: its scan of one legal entity's rows is fast enough.
"""

from django.db import migrations

COLUMNS = ("number", "title", "file_name")


def forwards(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    for column in COLUMNS:
        schema_editor.execute(
            f"CREATE INDEX IF NOT EXISTS finance_document_{column}_trgm "
            f'ON finance_document USING gin (UPPER("{column}"::text) gin_trgm_ops)'
        )


def backwards(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for column in COLUMNS:
        schema_editor.execute(f"DROP INDEX IF EXISTS finance_document_{column}_trgm")


class Migration(migrations.Migration):
    dependencies = [("finance", "0003_documents")]

    operations = [migrations.RunPython(forwards, backwards, elidable=False)]
