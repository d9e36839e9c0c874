"""One column for the business list's search: the name and the owners' names (registry/search_text.py).

Filled for every stored business here (one UPDATE; on a national register of 4.4M rows it takes minutes), with
its trigram index on PostgreSQL.
"""

from django.db import migrations, models

INDEX = "CREATE INDEX IF NOT EXISTS business_search_trgm ON registry_business USING gin (UPPER(search_text) gin_trgm_ops)"


def fill(apps, schema_editor):
    from sentra.registry import search_text

    search_text.refresh(using=schema_editor.connection.alias)
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(INDEX)


def unfill(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("DROP INDEX IF EXISTS business_search_trgm")


class Migration(migrations.Migration):
    dependencies = [("registry", "0005_business_drop_redundant_indexes")]

    operations = [
        migrations.AddField(
            model_name="business",
            name="search_text",
            field=models.TextField(blank=True, default="", editable=False, verbose_name="teks pencarian"),
        ),
        migrations.RunPython(fill, unfill),
    ]
