"""The trigram index on the business name alone goes (PostgreSQL): the list searches ``search_text`` (name and
owners, its own trigram index), and the other searches of a business name stand in an OR with another table's
column, which no index on this table can serve. It was never read (0 scans through the page benchmarks at 100k and
4.4M), took 130 MB at 4.4M and cost every write of a business its ~40 trigram entries."""

from django.db import migrations

INDEX = "CREATE INDEX IF NOT EXISTS business_name_trgm ON registry_business USING gin (UPPER(name) gin_trgm_ops)"


def drop(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("DROP INDEX IF EXISTS business_name_trgm")


def create(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(INDEX)


class Migration(migrations.Migration):
    dependencies = [("registry", "0006_business_search_text")]

    operations = [migrations.RunPython(drop, create)]
