"""Every export of a list is an audit event: who, which list, which filters, how many rows, which format.

Small exports are sent at once (CSV streamed, XLSX written to a temporary file) and recorded when sent; large ones
run as a job and are recorded when the job has written the file. Refused exports record nothing.
"""

from __future__ import annotations

import pytest
from django.contrib.contenttypes.models import ContentType
from django.urls import URLResolver, get_resolver, reverse

from sentra.core import views_jobs
from sentra.core.audit import LIST_OBJECT_ID
from sentra.core.exporting import all_exports
from sentra.core.models import AuditEvent, Job, JobState
from sentra.registry.models import Business, Owner
from tests.registry.factories import BusinessFactory, OwnerFactory

pytestmark = pytest.mark.django_db


def _exports() -> list[AuditEvent]:
    return list(AuditEvent.objects.filter(action__endswith=".exported").order_by("id"))


def _download(response) -> bytes:
    return b"".join(response.streaming_content) if response.streaming else response.content


def test_a_small_csv_export_is_recorded_with_list_filters_rows_and_format(client, officer_region_a):
    BusinessFactory(name="Roti Enak")
    BusinessFactory(name="Roti Manis")
    BusinessFactory(name="Kopi Pagi")
    client.force_login(officer_region_a)
    response = client.get(reverse("registry:business_export"), {"format": "csv", "q": "Roti", "status": ""})
    assert response.status_code == 200
    _download(response)
    [event] = _exports()
    assert event.action == "registry.business.exported"
    assert event.actor == officer_region_a and event.actor_name == officer_region_a.username
    assert event.content_type == ContentType.objects.get_for_model(Business)
    assert event.object_id == LIST_OBJECT_ID and event.object_repr == "Usaha (IKM)"
    assert event.region_id == officer_region_a.region_id
    # The empty filter is left out; the format, not being a filter, is recorded on its own.
    assert event.changes == {"list": "registry.business", "filters": {"q": ["Roti"]}, "rows": 2, "format": "csv"}


def test_a_small_xlsx_export_of_owners_is_recorded(client, officer_region_a):
    OwnerFactory(full_name="Siti Aminah")
    OwnerFactory(full_name="Budi Santoso")
    client.force_login(officer_region_a)
    response = client.get(reverse("registry:owner_export"), {"format": "xlsx"})
    assert response.status_code == 200
    [event] = _exports()
    assert event.action == "registry.owner.exported"
    assert event.content_type == ContentType.objects.get_for_model(Owner)
    assert event.changes == {"list": "registry.owner", "filters": {}, "rows": 2, "format": "xlsx"}


def test_an_empty_export_is_still_recorded(client, officer_region_b):
    BusinessFactory(name="Mebel Kendari", region_id="74.71")
    client.force_login(officer_region_b)
    client.get(reverse("registry:business_export"), {"format": "xlsx", "region": "74.71"})
    [event] = _exports()
    assert event.actor == officer_region_b and event.changes["rows"] == 0
    assert event.changes["filters"] == {"region": ["74.71"]}


def test_a_large_export_is_recorded_by_its_job_with_the_rows_written(
    client, officer_region_a, settings, django_capture_on_commit_callbacks
):
    settings.SENTRA_EXPORT_INLINE_ROWS = 2
    for i in range(5):
        BusinessFactory(name=f"Usaha {i}")
    client.force_login(officer_region_a)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.get(reverse("registry:business_export"), {"format": "csv", "q": "Usaha"})
    job = Job.objects.get()
    assert response.status_code == 302
    job.refresh_from_db()
    assert job.state == JobState.SUCCEEDED
    [event] = _exports()
    assert event.action == "registry.business.exported" and event.actor == officer_region_a
    assert event.changes == {
        "list": "registry.business",
        "filters": {"q": ["Usaha"]},
        "rows": 5,
        "format": "csv",
        "job": job.pk,
    }


def test_queuing_a_large_export_records_nothing_until_the_file_is_written(client, officer_region_a, settings):
    settings.SENTRA_EXPORT_INLINE_ROWS = 1
    BusinessFactory()
    BusinessFactory()
    client.force_login(officer_region_a)
    response = client.get(reverse("registry:business_export"), {"format": "xlsx"})
    assert response.status_code == 302 and Job.objects.get().state == JobState.QUEUED
    assert _exports() == []


def test_a_refused_export_records_nothing(client, owner_user):
    client.force_login(owner_user)
    assert client.get(reverse("registry:owner_export")).status_code == 403
    assert _exports() == []


def _export_urls() -> dict[str, str]:
    """Export key → URL of every URL served by the engine's export view."""
    found: dict[str, str] = {}

    def walk(patterns, prefix: str) -> None:
        for p in patterns:
            if isinstance(p, URLResolver):
                walk(p.url_patterns, prefix + str(p.pattern))
            elif p.callback is views_jobs.export_view and not p.pattern.converters:
                found[p.default_args["key"]] = "/" + prefix + str(p.pattern)

    walk(get_resolver().url_patterns, "")
    return found


def test_every_registered_export_is_recorded(client, national_admin):
    """The log lives in the engine, so a list registered later is recorded without code of its own."""
    client.force_login(national_admin)
    specs = all_exports()
    urls = _export_urls()
    assert specs and set(urls) == {spec.key for spec in specs}
    for spec in specs:
        for fmt in ("csv", "xlsx"):
            response = client.get(urls[spec.key], {"format": fmt})
            assert response.status_code == 200, spec.key
            _download(response)
    recorded = {(e.changes["list"], e.changes["format"]) for e in _exports()}
    assert recorded == {(spec.key, fmt) for spec in specs for fmt in ("csv", "xlsx")}


@pytest.mark.parametrize(("url_name", "ext"), [("training:report_pdf", "pdf"), ("training:report_xlsx", "xlsx")])
def test_the_batch_report_listing_participants_is_recorded_when_downloaded(client, officer_region_a, url_name, ext):
    from sentra.training.models import Batch
    from tests.training.factories import make_batch, make_participant

    batch = make_batch()
    make_participant(batch, name="Siti Aminah")
    client.force_login(officer_region_a)
    assert client.get(reverse(url_name, args=[batch.pk])).status_code == 200
    event = AuditEvent.objects.get(action=f"training.batch.exported_{ext}")
    assert event.actor == officer_region_a and event.object_id == str(batch.pk)
    assert event.content_type == ContentType.objects.get_for_model(Batch)


def test_a_batch_report_outside_the_scope_records_nothing(client, officer_region_b):
    from tests.training.factories import make_batch

    batch = make_batch()
    client.force_login(officer_region_b)
    assert client.get(reverse("training:report_pdf", args=[batch.pk])).status_code == 404
    assert not AuditEvent.objects.filter(action__startswith="training.batch.exported").exists()
