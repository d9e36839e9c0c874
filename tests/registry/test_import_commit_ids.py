"""``ImportKind.commit`` reports the id of each row (``CommitStats.ids``) and, with ``create_only``, never matches
an existing business by natural key (the REST API's bulk create)."""

from __future__ import annotations

import pytest
from django.db import transaction

from sentra.core.importing import ImportContext, get_kind
from sentra.core.importing.engine import Layout, check_batch
from sentra.core.importing.kinds import BatchRows
from sentra.registry.models import Business
from tests.registry.factories import BusinessFactory

pytestmark = pytest.mark.django_db


def _commit(rows, **options):
    kind = get_kind("business")
    columns = [c.key for c in kind.columns]
    layout = Layout(header_line=-1, headers=columns, mapping=dict(enumerate(columns)))
    ctx = ImportContext(user=None, kind=kind, options=options)
    kind.start(ctx)
    checked = check_batch([(i, [row.get(c) for c in columns]) for i, row in enumerate(rows)], layout, ctx, {})
    assert not checked.errors, checked.errors
    with transaction.atomic():
        return kind.commit(BatchRows(checked, checked.ok_indices()), ctx)


def test_commit_gives_each_rows_id_created_or_matched():
    known = BusinessFactory(region_id="74.71", name="Mebel Lama", nib="9120001234567", commodity="Meja")
    stats = _commit(
        [
            {"name": "Mebel Baru", "region_code": "74.71"},
            {"name": "Mebel Lama", "nib": "9120001234567", "region_code": "74.71", "commodity": "Kursi"},
            {"name": "Mebel Baru 2", "region_code": "74.71"},
        ]
    )
    assert (stats.created, stats.updated) == (2, 1)
    assert stats.ids[1] == known.pk
    assert Business.objects.get(pk=stats.ids[0]).name == "Mebel Baru"
    assert Business.objects.get(pk=stats.ids[2]).name == "Mebel Baru 2"
    known.refresh_from_db()
    assert known.commodity == "Kursi"


def test_create_only_never_updates_a_business_with_the_same_natural_key():
    known = BusinessFactory(region_id="74.71", name="Mebel Lama", address="Jl. Jati 1", commodity="Meja")
    row = {"name": "Mebel Lama", "address": "Jl. Jati 1", "region_code": "74.71", "commodity": "Kursi"}
    stats = _commit([row], create_only=True)
    assert (stats.created, stats.updated) == (1, 0) and stats.ids[0] != known.pk
    known.refresh_from_db()
    assert known.commodity == "Meja"
    assert _commit([row]).ids[0] in {known.pk, stats.ids[0]}  # without the option the import matches by key
    assert Business.objects.count() == 2
