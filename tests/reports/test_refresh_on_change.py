"""The dashboard's summary tables follow every write path at once (no nightly run): the services announce their
changes with ``core.events.notify_changed`` — single records, ``QuerySet.update()`` paths, the bulk write behind the
import and the bulk API — and ``domain_changed`` goes out once per transaction. No model-signal receivers keep the
summaries current (they miss bulk writes); a guard test fails if one comes back."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from pathlib import Path

import pytest
from django.db import transaction
from django.db.models.signals import post_delete, post_save
from django.utils import timezone

from sentra.budget import services as budget_services
from sentra.centres import services as centres_services
from sentra.centres.choices import CentreStatus
from sentra.core import events
from sentra.core.events import domain_changed, notify_changed
from sentra.core.importing import get_kind
from sentra.core.importing.engine import run_import
from sentra.periodic import services as periodic_services
from sentra.quality import services as quality_services
from sentra.regions.models import Region
from sentra.registry import services as registry_services
from sentra.reports import receivers
from sentra.reports.outcomes import outcome_summaries_refresh
from sentra.reports.programme import programme_refresh
from sentra.reports.selectors import dashboard_get, programme_get
from sentra.reports.services import summary_refresh_all
from sentra.training import services as training_services
from sentra.training.models import Batch
from tests.budget.factories import make_fund
from tests.centres.factories import CentreFactory
from tests.registry.factories import BusinessFactory, OwnerFactory
from tests.training.factories import make_batch

pytestmark = pytest.mark.django_db

Y = timezone.localdate().year
A = "74.71"  # Kota Kendari
B = "74.72"  # Kota Baubau
M = Decimal(1_000_000)
DOMAIN_APPS = ("registry", "training", "budget", "quality", "centres", "periodic")


def _programme(user, code: str = A) -> dict:
    return programme_get(user=user, region=Region.objects.get(pk=code), year=Y).totals


def _businesses(user, code: str = A) -> int:
    return dashboard_get(user=user, code=code).totals["businesses"]


def _baseline() -> None:
    """The state a nightly run would leave: every summary rebuilt from the tables."""
    summary_refresh_all()
    programme_refresh()
    outcome_summaries_refresh()


@pytest.fixture(autouse=True)
def _no_notice_pending_from_before():
    """Changes set up outside ``django_capture_on_commit_callbacks`` never commit in a test; forget them."""
    events._pending.changes = None


# --- One representative write path per app --------------------------------------------------------------------


def test_a_registry_change_reaches_the_dashboard(national_admin, django_capture_on_commit_callbacks):
    business = BusinessFactory(region_id=A)
    _baseline()
    before = _businesses(national_admin)
    with django_capture_on_commit_callbacks(execute=True):
        registry_services.business_delete(actor=national_admin, business=business)
    assert _businesses(national_admin) == before - 1


def test_a_business_moved_to_another_regency_leaves_both_dashboards_right(
    national_admin, django_capture_on_commit_callbacks
):
    business = BusinessFactory(region_id=A, village=None, district=None)
    _baseline()
    a, b = _businesses(national_admin, A), _businesses(national_admin, B)
    with django_capture_on_commit_callbacks(execute=True):
        registry_services.business_update(
            actor=national_admin, business=business, region=Region.objects.get(pk=B), village=None, district=None
        )
    assert (_businesses(national_admin, A), _businesses(national_admin, B)) == (a - 1, b + 1)


def test_a_training_enrolment_reaches_the_dashboard(national_admin, django_capture_on_commit_callbacks):
    batch = make_batch(region_id=A, start=dt.date(Y, 1, 10), end=dt.date(Y, 1, 12))
    _baseline()
    assert _programme(national_admin)["participants"] == 0
    owner = OwnerFactory(region_id=A)
    with django_capture_on_commit_callbacks(execute=True):
        training_services.participant_register(actor=national_admin, batch=batch, owner=owner, accept=True)
    assert _programme(national_admin)["participants"] == 1


def test_a_dak_allocation_reaches_the_dashboard(national_admin, django_capture_on_commit_callbacks):
    fund = make_fund(year=Y)
    _baseline()
    before = _programme(national_admin)["dak_pagu"]
    with django_capture_on_commit_callbacks(execute=True):
        budget_services.allocation_set(actor=national_admin, fund=fund, region=A, amount=Decimal("750000000"))
    assert _programme(national_admin)["dak_pagu"] == before + Decimal("750000000")


def test_a_certification_reaches_the_dashboard(national_admin, django_capture_on_commit_callbacks):
    business = BusinessFactory(region_id=A)
    _baseline()
    before = _programme(national_admin)["certs_held"]
    with django_capture_on_commit_callbacks(execute=True):
        quality_services.certification_create(
            actor=national_admin,
            business=business,
            kind="halal",
            number="ID74110000099999",
            issuer="BPJPH",
            issued_on=dt.date(Y, 1, 2),
            expires_on=dt.date(Y + 4, 1, 2),
        )
    assert _programme(national_admin)["certs_held"] == before + 1


def test_a_centre_status_written_by_queryset_update_reaches_the_dashboard(
    national_admin, django_capture_on_commit_callbacks
):
    centre = CentreFactory(region_id=A, status=CentreStatus.OPERATING)
    _baseline()
    before = _programme(national_admin)["centres_operating"]
    allowed = sorted(centres_services.STATUS_TRANSITIONS[CentreStatus.OPERATING])
    with django_capture_on_commit_callbacks(execute=True):
        centres_services.centre_set_status(
            actor=national_admin, centre=centre, status=allowed[0], date=timezone.localdate()
        )
    assert _programme(national_admin)["centres_operating"] == before - 1


def test_a_periodic_report_sent_reaches_the_dashboard(
    national_admin, centre_manager, django_capture_on_commit_callbacks
):
    from sentra.centres.reports import CENTRE_MONTHLY
    from sentra.periodic.periods import Period
    from sentra.periodic.registry import report_form
    from tests.periodic.test_workflow import GOOD

    centre = CentreFactory(region_id=A, status=CentreStatus.OPERATING, status_since=dt.date(Y - 1, 1, 1))
    centre.managers.set([centre_manager])
    period = Period(dt.date(Y - 1, 6, 1), "monthly")
    _baseline()

    def missing() -> int:
        return programme_get(user=national_admin, region=Region.objects.get(pk=A), year=Y - 1).totals["reports_missing"]

    before = missing()
    assert before > 0
    submission = periodic_services.submission_start(
        actor=centre_manager, form=report_form(CENTRE_MONTHLY), subject=centre, period=period
    )
    submission = periodic_services.submission_save(actor=centre_manager, submission=submission, data=GOOD)
    with django_capture_on_commit_callbacks(execute=True):
        periodic_services.submission_submit(actor=centre_manager, submission=submission)
    assert missing() == before - 1


# --- The bulk paths ---------------------------------------------------------------------------------------------


def test_an_import_reaches_the_dashboard(
    officer_region_a, national_admin, tmp_path: Path, django_capture_on_commit_callbacks
):
    import csv

    path = tmp_path / "usaha.csv"
    with open(path, "w", encoding="utf-8", newline="") as fh:
        csv.writer(fh, delimiter=";").writerows(
            [["NIB", "Nama Usaha", "Alamat", "KBLI", "Omzet"]]
            + [
                [
                    f"{9120002000000 + i}",
                    f"CV Segar {i}",
                    "Jl. Uji, Kel. Lepo Lepo, Kec. Baruga, Kota Kendari",
                    "31001",
                    "12.500.000",
                ]
                for i in range(4)
            ]
        )
    _baseline()
    before = _businesses(national_admin)
    with django_capture_on_commit_callbacks(execute=True):
        outcome = run_import(path=path, filename="usaha.csv", kind=get_kind("business"), user=officer_region_a)
    assert outcome.committed and outcome.stats.created == 4
    assert _businesses(national_admin) == before + 4


def test_the_bulk_api_reaches_the_dashboard(national_admin, django_capture_on_commit_callbacks):
    from sentra.api.bulk import bulk_save

    _baseline()
    before = _businesses(national_admin)
    rows = [
        {"name": f"CV Bulk {i}", "nib": f"{9120003000000 + i}", "region": A, "kbli": "31001", "address": "Jl. Uji"}
        for i in range(3)
    ]
    with django_capture_on_commit_callbacks(execute=True):
        saved = bulk_save(user=national_admin, rows=rows)
    assert len(saved) == 3
    assert _businesses(national_admin) == before + 3


def test_realisation_moved_by_queryset_update_on_a_revision_reaches_the_dashboard(
    officer_region_a, province_officer, national_admin, django_capture_on_commit_callbacks
):
    """Approving a revision moves the progress reports to the new copy of their line with ``QuerySet.update()``
    (``budget.services._carry_realisation``): the physical progress on the dashboard follows at once."""
    from sentra.budget.models import ProgressReport
    from tests.budget.factories import make_allocation
    from tests.budget.test_services import _approved

    allocation = make_allocation(region=A, amount=Decimal(1000) * M, fund=make_fund(year=Y))
    v0 = _approved(officer_region_a, province_officer, national_admin, allocation)
    first = v0.lines.order_by("id").first()
    ProgressReport.objects.create(
        line=first, region_id=A, reported_on=timezone.localdate(), physical_pct=Decimal(50), output_achieved=1
    )
    _baseline()
    assert _programme(national_admin)["dak_physical_weighted"] == Decimal(50) * first.total
    with django_capture_on_commit_callbacks(execute=True):
        v1 = budget_services.plan_revise(actor=officer_region_a, plan=v0, reason="Tambah volume")
        copy = v1.lines.get(origin=first)
        copy = budget_services.line_update(actor=officer_region_a, line=copy, volume=Decimal(6))
        for actor, action in ((officer_region_a, "submit"), (province_officer, "verify"), (national_admin, "approve")):
            v1 = budget_services.plan_advance(actor=actor, plan=v1, action=action)
    assert ProgressReport.objects.get().line_id == copy.pk
    assert _programme(national_admin)["dak_physical_weighted"] == Decimal(50) * copy.total != Decimal(50) * first.total


# --- One notice, one refresh per transaction ------------------------------------------------------------------


def test_one_notice_and_one_refresh_per_summary_per_transaction(
    national_admin, monkeypatch, django_capture_on_commit_callbacks
):
    batch = make_batch(region_id=A, start=dt.date(Y, 3, 10), end=dt.date(Y, 3, 12))
    fund = make_fund(year=Y)
    sent: list[dict] = []
    queued: list[tuple[str, list[str]]] = []

    def listen(sender, **kwargs):
        sent.append(kwargs)

    class Fake:
        def __init__(self, name: str) -> None:
            self.name = name

        def enqueue(self, region_ids: list[str]) -> None:
            queued.append((self.name, region_ids))

    events._pending.changes = None  # the set-up above never commits in a test
    monkeypatch.setattr(receivers, "TASKS", {name: Fake(name) for name in receivers.TASKS})
    domain_changed.connect(listen, dispatch_uid="test-refresh-listen")
    try:
        with django_capture_on_commit_callbacks(execute=True), transaction.atomic():
            for _i in range(3):
                training_services.participant_register(
                    actor=national_admin, batch=batch, owner=OwnerFactory(region_id=A), accept=True
                )
            budget_services.allocation_set(actor=national_admin, fund=fund, region=B, amount=Decimal(1000))
            assert sent == []  # nothing before the commit
    finally:
        domain_changed.disconnect(dispatch_uid="test-refresh-listen")
    assert len(sent) == 1
    assert sent[0]["changes"] == {
        "training.participant": {A},
        "budget.allocation": {B},
    }
    assert sent[0]["region_ids"] == {A, B}
    assert sorted(queued) == [("outcome", [A, B]), ("programme", [A, B])]


def test_a_rolled_back_change_sends_nothing_until_the_next_commit(django_capture_on_commit_callbacks):
    sent: list[dict] = []

    def listen(sender, **kwargs):
        sent.append(kwargs)

    domain_changed.connect(listen, dispatch_uid="test-refresh-rollback")
    try:
        with django_capture_on_commit_callbacks(execute=True):
            with pytest.raises(RuntimeError), transaction.atomic():
                notify_changed(Batch, [A])
                raise RuntimeError
        assert sent == []
        with django_capture_on_commit_callbacks(execute=True), transaction.atomic():
            notify_changed(Batch, [B])
        # the rolled-back change's region is refreshed with the next one: an extra refresh, never a missed one
        assert sent == [{"changes": {"training.batch": {A, B}}, "region_ids": {A, B}, "signal": domain_changed}]
    finally:
        domain_changed.disconnect(dispatch_uid="test-refresh-rollback")


# --- Guard: no model signals keep summaries current -------------------------------------------------------------


def _sentra_receivers(signal, model) -> list[str]:
    sync, async_ = signal._live_receivers(model)
    return [
        f"{r.__module__}.{getattr(r, '__qualname__', r)}"
        for r in [*sync, *async_]
        if getattr(r, "__module__", "").startswith("sentra.")
    ]


def test_no_post_save_or_post_delete_receiver_refreshes_summaries():
    """Summaries follow ``domain_changed`` only: a model-signal receiver would miss ``QuerySet.update()`` and
    ``bulk_create``. Fails if the reports app (or any Sentra module) listens to saves/deletes of domain data."""
    from django.apps import apps

    found = []
    for app in DOMAIN_APPS:
        for model in apps.get_app_config(app).get_models():
            for signal in (post_save, post_delete):
                found += [f"{model._meta.label}: {r}" for r in _sentra_receivers(signal, model)]
    for model in apps.get_models():
        for signal in (post_save, post_delete):
            found += [
                f"{model._meta.label}: {r}" for r in _sentra_receivers(signal, model) if r.startswith("sentra.reports")
            ]
    assert found == []


def test_no_source_file_connects_model_signals_for_refreshing():
    """The same guard on the source: only the API's permission and token caches (auth data, not domain data) may
    listen to saves and deletes."""
    import sentra

    root = Path(sentra.__file__).parent
    allowed = {root / "api" / "permcache.py", root / "api" / "tokencache.py"}
    offenders = [
        str(path.relative_to(root))
        for path in root.rglob("*.py")
        if "migrations" not in path.parts
        and path not in allowed
        and any(name in path.read_text(encoding="utf-8") for name in ("post_save", "post_delete"))
    ]
    assert offenders == []
