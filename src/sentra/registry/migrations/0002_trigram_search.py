"""Trigram indexes for name search on PostgreSQL (icontains 271 ms → 27 ms at 1M rows).

SQLite has no equivalent; there the name index serves prefix-ordered lists and search scans.
"""

from django.db import migrations

FORWARD = [
    "CREATE EXTENSION IF NOT EXISTS pg_trgm",
    "CREATE INDEX IF NOT EXISTS business_name_trgm ON registry_business USING gin (UPPER(name) gin_trgm_ops)",
    "CREATE INDEX IF NOT EXISTS owner_name_trgm ON registry_owner USING gin (UPPER(full_name) gin_trgm_ops)",
]
BACKWARD = ["DROP INDEX IF EXISTS business_name_trgm", "DROP INDEX IF EXISTS owner_name_trgm"]


def forward(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        for sql in FORWARD:
            schema_editor.execute(sql)


def backward(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        for sql in BACKWARD:
            schema_editor.execute(sql)


class Migration(migrations.Migration):
    dependencies = [("registry", "0001_initial")]
    operations = [migrations.RunPython(forward, backward)]
