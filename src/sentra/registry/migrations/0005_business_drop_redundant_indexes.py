"""Drop the indexes of registry_business that a composite index already covers.

Django gives every foreign key its own index (and on PostgreSQL a ``varchar_pattern_ops`` twin for LIKE on text
keys). For the business table four of them repeat the leading column of an index the lists, searches and filters
use — (region, name, id), (district, name), (kbli, name) and (village) — and no query runs LIKE on these columns.
Each index costs every inserted row: at a national register (a million rows imported at once) these seven were a
third of the import's time on PostgreSQL. The fields become ``db_index=False`` in the model state; the database
side only drops the indexes (``IF EXISTS``), where ``AlterField`` would rebuild the whole table on SQLite.
"""

import django.db.models.deletion
from django.db import migrations, models

#: (index name, column) as Django named them when it created the foreign keys.
FK_INDEXES = [
    ("registry_business_region_id_fcd5c0c5", "region_id"),
    ("registry_business_district_id_ccc6fbd9", "district_id"),
    ("registry_business_village_id_d020b3f4", "village_id"),
    ("registry_business_kbli_id_117a884f", "kbli_id"),
]
#: PostgreSQL only: the LIKE twins of the text keys.
LIKE_INDEXES = [
    ("registry_business_region_id_fcd5c0c5_like", "region_id"),
    ("registry_business_district_id_ccc6fbd9_like", "district_id"),
    ("registry_business_village_id_d020b3f4_like", "village_id"),
]


def drop(apps, schema_editor):
    names = [name for name, _column in FK_INDEXES]
    if schema_editor.connection.vendor == "postgresql":
        names += [name for name, _column in LIKE_INDEXES]
    for name in names:
        schema_editor.execute(f'DROP INDEX IF EXISTS "{name}"')


def restore(apps, schema_editor):
    for name, column in FK_INDEXES:
        schema_editor.execute(f'CREATE INDEX IF NOT EXISTS "{name}" ON "registry_business" ("{column}")')
    if schema_editor.connection.vendor == "postgresql":
        for name, column in LIKE_INDEXES:
            schema_editor.execute(
                f'CREATE INDEX IF NOT EXISTS "{name}" ON "registry_business" ("{column}" varchar_pattern_ops)'
            )


class Migration(migrations.Migration):
    dependencies = [
        ("regions", "0002_load_reference_data"),
        ("registry", "0004_business_kbli_unmatched"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.AlterField(
                    model_name="business",
                    name="district",
                    field=models.ForeignKey(
                        blank=True,
                        db_index=False,
                        limit_choices_to={"level": 3},
                        null=True,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to="regions.region",
                        verbose_name="kecamatan",
                    ),
                ),
                migrations.AlterField(
                    model_name="business",
                    name="kbli",
                    field=models.ForeignKey(
                        blank=True,
                        db_index=False,
                        limit_choices_to={"level": 5},
                        null=True,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to="regions.kbli",
                        verbose_name="KBLI utama",
                    ),
                ),
                migrations.AlterField(
                    model_name="business",
                    name="region",
                    field=models.ForeignKey(
                        db_index=False,
                        limit_choices_to={"level": 2},
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to="regions.region",
                        verbose_name="kabupaten/kota",
                    ),
                ),
                migrations.AlterField(
                    model_name="business",
                    name="village",
                    field=models.ForeignKey(
                        blank=True,
                        db_index=False,
                        limit_choices_to={"level": 4},
                        null=True,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to="regions.region",
                        verbose_name="desa/kelurahan",
                    ),
                ),
            ],
            database_operations=[migrations.RunPython(drop, restore)],
        )
    ]
