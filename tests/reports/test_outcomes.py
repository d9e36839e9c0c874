"""Programme outcomes: every figure equals a direct count, for admin, sultra and kendari; scope; small cells."""

from __future__ import annotations

import datetime as dt
import io
from decimal import Decimal

import pytest
from django.urls import reverse

from sentra.core.audit import audit_record
from sentra.regions.models import Kbli
from sentra.registry.models import Business
from sentra.reports.outcomes import outcomes_get
from sentra.training.models import Participant
from tests.registry.factories import BusinessFactory
from tests.reports.outcome_data import YEAR, build
from tests.training.factories import make_batch, make_participant

pytestmark = pytest.mark.django_db

SCOPES = {
    "national_admin": None,
    "province_officer": {"74.71", "74.72"},
    "officer_region_a": {"74.71"},
}


@pytest.fixture
def data():
    return build()


def _direct(regions: set[str] | None) -> dict[str, tuple[int, int]]:
    """The funnel counted by walking every participation in Python (no annotations shared with the page)."""
    stages: dict[str, list[Participant]] = {
        k: [] for k in ("applied", "trained", "certified", "business", "grew", "tenant")
    }
    for p in Participant.objects.select_related("batch", "business").prefetch_related("followups"):
        if p.batch.start_date.year != YEAR or (regions is not None and p.batch.region_id not in regions):
            continue
        stages["applied"].append(p)
        if p.result != "passed":
            continue
        stages["trained"].append(p)
        cert = getattr(p, "certificate", None)
        if cert is None or cert.revoked_at:
            continue
        stages["certified"].append(p)
        fus = list(p.followups.all())
        if not ((p.business and p.business.nib) or any(f.nib_registered or f.started_business for f in fus)):
            continue
        stages["business"].append(p)
        if not any(
            (f.turnover or 0) > (p.baseline_turnover or 0) or (f.workforce or 0) > (p.baseline_workforce or 0)
            for f in fus
        ):
            continue
        stages["grew"].append(p)
        tenant = any(
            t.end_date is None or t.end_date >= p.batch.start_date
            for b in Business.objects.filter(ownerships__owner=p.owner)
            for t in b.tenancies.all()
        )
        if tenant:
            stages["tenant"].append(p)
    return {k: (len(v), len({p.owner_id for p in v})) for k, v in stages.items()}


@pytest.mark.parametrize("persona", SCOPES)
def test_funnel_matches_direct_counts(data, persona, request):
    user = request.getfixturevalue(persona)
    out = outcomes_get(user=user, year=YEAR)
    direct = _direct(SCOPES[persona])
    assert {s.key: (s.count, s.people) for s in out.funnel} == direct
    # Not trivially zero: every stage has someone in it at every level.
    assert all(people > 0 for _n, people in direct.values()), direct
    expected_applied = {"national_admin": 13 + 3 + 1, "province_officer": 10 + 2 + 1, "officer_region_a": 6 + 1 + 1}
    assert out.funnel[0].count == expected_applied[persona]  # incl. the rejected ones and the double recipient


@pytest.mark.parametrize("persona", SCOPES)
def test_new_entrepreneurs_per_dak_billion(data, persona, request):
    user = request.getfixturevalue(persona)
    out = outcomes_get(user=user, year=YEAR)
    row = next(g for g in out.growth if g.year == YEAR)
    regions = SCOPES[persona]
    owners = {
        p.owner_id
        for p in Participant.objects.filter(
            batch__start_date__year=YEAR, result="passed", followups__started_business=True
        )
        if regions is None or p.batch.region_id in regions
    }
    assert row.new_entrepreneurs == len(owners) > 0
    assert row.dak_rupiah == Decimal("1000000000.00")  # only Kendari's batch is DAK-funded, all levels see it
    kendari_new = len(
        {
            p.owner_id
            for p in Participant.objects.filter(
                batch__start_date__year=YEAR,
                batch__region_id="74.71",
                result="passed",
                followups__started_business=True,
            )
        }
    )
    assert kendari_new == 3
    # New entrepreneurs of the scope divided by the DAK rupiah of the scope, per Rp1 miliar, in Decimal.
    assert row.per_billion == Decimal(len(owners)).quantize(Decimal("0.01"))
    previous = next(g for g in out.growth if g.year == YEAR - 1)
    assert previous.dak_rupiah == 0 and previous.per_billion is None


def test_page_renders_for_each_level_with_links(data, client_for, national_admin, province_officer, officer_region_a):
    url = reverse("reports:outcomes")
    for user, heading in (
        (national_admin, "Nasional"),
        (province_officer, "Sulawesi Tenggara"),
        (officer_region_a, "Kendari"),
    ):
        response = client_for(user).get(url, {"tahun": YEAR})
        assert response.status_code == 200
        html = response.content.decode()
        assert heading in html
        assert reverse("training:batch_list") + "?year=2022" in html
        assert "bukan bukti sebab-akibat" in html
        assert "per Rp1 miliar" in html


def test_out_of_scope_region_is_404(data, client_for, province_officer, officer_region_a):
    url = reverse("reports:outcomes")
    assert client_for(officer_region_a).get(url, {"wilayah": "74.72"}).status_code == 404
    assert client_for(officer_region_a).get(url, {"wilayah": "74"}).status_code == 404
    assert client_for(province_officer).get(url, {"wilayah": "73"}).status_code == 404
    assert client_for(province_officer).get(url, {"wilayah": "73.71"}).status_code == 404
    assert client_for(province_officer).get(url, {"wilayah": "74.72"}).status_code == 200


def test_owner_is_refused(client_for, owner_user):
    assert client_for(owner_user).get(reverse("reports:outcomes")).status_code == 403


def test_bad_year_gets_a_message_and_the_default(data, client_for, officer_region_a):
    response = client_for(officer_region_a).get(reverse("reports:outcomes"), {"tahun": "dua ribu"}, follow=True)
    assert response.status_code == 200
    assert "tidak dikenal" in response.content.decode()


def test_scope_filters_the_regency(data, province_officer):
    out = outcomes_get(user=province_officer, code="74.72", year=YEAR)
    assert {s.key: (s.count, s.people) for s in out.funnel} == _direct({"74.72"})


# --- trained vs comparable untrained ----------------------------------------------------------------------------


def _comparison_world(*, comparable: int, trained: int = 3):
    kbli = Kbli.objects.get(version="2020", code="31001")
    batch = make_batch(region_id="74.71", start=dt.date(2023, 3, 6), end=dt.date(2023, 3, 10))
    trained_biz = []
    for i in range(trained):
        p = make_participant(batch, name=f"Dilatih {i}")
        Participant.objects.filter(pk=p.pk).update(result="passed")
        trained_biz.append(p.business)
    others = [BusinessFactory(name=f"Sebanding {i}") for i in range(comparable)]
    # Same KBLI in Baubau: another regency, never comparable with Kendari.
    far = BusinessFactory(name="Jauh", region_id="74.72", district_id=None, village_id=None)
    Business.objects.filter(pk__in=[b.pk for b in [*trained_biz, *others, far]]).update(kbli=kbli)
    for b in trained_biz:
        audit_record(
            actor=None,
            action="registry.business.updated",
            obj=b,
            changes={"turnover": ["100000000.00", "400000000.00"]},
        )
    for b in [*others, far]:
        audit_record(
            actor=None,
            action="registry.business.updated",
            obj=b,
            changes={"turnover": ["300000000.00", "400000000.00"]},
        )
    return trained_biz, others


def test_comparison_against_direct_figures(officer_region_a, province_officer, national_admin):
    _comparison_world(comparable=4)
    for user in (officer_region_a, province_officer, national_admin):
        out = outcomes_get(user=user, year=2023)
        assert out.trained.businesses == 3 and not out.trained.hidden
        assert out.trained.turnover_start == Decimal(300_000_000)
        assert out.trained.turnover_end == Decimal(1_200_000_000)
        assert out.trained.turnover_pct == Decimal("300.0")
        assert out.comparable.businesses == 4  # not the Baubau business
        assert out.comparable.turnover_start == Decimal(1_200_000_000)
        assert out.comparable.turnover_pct == Decimal("33.3")
        assert out.trained.workforce_start == out.trained.workforce_end == 15
        assert out.cells == 1


def test_comparison_hides_groups_under_three_businesses(client_for, officer_region_a):
    _comparison_world(comparable=2)
    out = outcomes_get(user=officer_region_a, year=2023)
    assert not out.trained.hidden
    assert out.comparable.hidden and out.comparable.businesses == 2
    assert out.comparable.turnover_pct is None and out.comparable.turnover_start is None
    html = client_for(officer_region_a).get(reverse("reports:outcomes"), {"tahun": 2023}).content.decode()
    assert 'data-testid="hidden-comparable"' in html
    assert 'data-testid="turnover-pct-comparable"' not in html
    assert 'data-testid="turnover-pct-trained"' in html


def test_comparison_hides_trained_group_of_two(officer_region_a):
    _comparison_world(comparable=5, trained=2)
    out = outcomes_get(user=officer_region_a, year=2023)
    assert out.trained.hidden and out.trained.businesses == 2
    assert not out.comparable.hidden and out.comparable.businesses == 5


def test_outcomes_page_query_count_does_not_grow(data, client_for, officer_region_a, django_assert_max_num_queries):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from sentra.reports.outcomes import outcome_summaries_refresh

    client = client_for(officer_region_a)
    url = reverse("reports:outcomes")
    client.get(url, {"tahun": YEAR})  # the first view of an area/year never computed stores its summary
    with CaptureQueriesContext(connection) as before:
        first = client.get(url, {"tahun": YEAR})
    batch = make_batch(region_id="74.71", start=dt.date(2022, 2, 7), end=dt.date(2022, 2, 11))
    for i in range(5):
        Participant.objects.filter(pk=make_participant(batch, name=f"Tambahan {i}").pk).update(result="passed")
    outcome_summaries_refresh(region_ids=["74.71"])  # the job after the change
    with CaptureQueriesContext(connection) as after:
        second = client.get(url, {"tahun": YEAR})
    assert len(after) == len(before)
    # The page shows the refreshed summary: five more applicants than before.
    applied = first.context["out"].funnel[0].count
    assert second.context["out"].funnel[0].count == applied + 5
    # 12 for the outcomes page, 1 for the sign-in's second factor, 1 for the stored programme-evaluation estimates.
    with django_assert_max_num_queries(14):
        client.get(url, {"tahun": YEAR})


def test_start_values_come_from_the_audit_trail():
    from sentra.reports.outcomes import _values_at

    b = BusinessFactory(name="Riwayat")
    audit_record(actor=None, action="registry.business.created", obj=b, changes={"turnover": [None, "200000000.00"]})
    audit_record(
        actor=None,
        action="registry.business.updated",
        obj=b,
        changes={"turnover": ["200000000.00", "400000000.00"], "workforce_male": [1, 3]},
    )
    audit_record(actor=None, action="registry.business.updated", obj=b, changes={"workforce_male": [3, 4]})
    start = _values_at([b.pk], dt.date(2020, 1, 1))[b.pk]
    assert start == {"turnover": "200000000.00", "workforce_male": 1}  # first recorded value, then 'before'
    assert _values_at([b.pk], dt.date(2100, 1, 1)) == {}  # nothing changed since: the caller keeps today's


@pytest.mark.parametrize(
    ("persona", "code"),
    [("national_admin", None), ("province_officer", None), ("officer_region_a", None), ("national_admin", "74.71")],
)
def test_summary_equals_a_direct_computation_on_the_raw_tables(request, data, persona, code):
    """The page reads ``OutcomeSummary`` (written by the job); it holds exactly what the raw tables give now."""
    from dataclasses import asdict

    from sentra.reports.models import OutcomeSummary
    from sentra.reports.outcomes import outcome_summaries_refresh, outcomes_compute
    from sentra.reports.selectors import dashboard_region

    user = request.getfixturevalue(persona)
    outcome_summaries_refresh()  # the nightly job: the nation this year
    page = outcomes_get(user=user, code=code, year=YEAR)
    area = "" if page.region is None else page.region.code
    assert OutcomeSummary.objects.filter(area=area, year=YEAR).exists()
    direct = outcomes_compute(user=user, region=dashboard_region(user=user, code=code), year=YEAR)
    assert [asdict(s) for s in page.funnel] == [asdict(s) for s in direct.funnel]
    assert [asdict(g) for g in page.growth] == [asdict(g) for g in direct.growth]
    assert asdict(page.trained) == asdict(direct.trained)
    assert asdict(page.comparable) == asdict(direct.comparable)
    assert page.cells == direct.cells
    assert page.funnel[0].count > 0


def test_summary_follows_changes_through_the_job(data, officer_region_a, django_capture_on_commit_callbacks):
    """A new participation commits → the outcome task recomputes the stored areas of its regency."""
    first = outcomes_get(user=officer_region_a, year=YEAR).funnel[0].count
    batch = make_batch(region_id="74.71", start=dt.date(YEAR, 3, 7), end=dt.date(YEAR, 3, 11))
    with django_capture_on_commit_callbacks(execute=True):
        make_participant(batch, name="Pendaftar baru")
    assert outcomes_get(user=officer_region_a, year=YEAR).funnel[0].count == first + 1


def test_the_nation_is_recomputed_daily_not_after_each_change(data, national_admin, django_capture_on_commit_callbacks):
    from django.core.management import call_command

    from sentra.reports.models import OutcomeSummary

    before = outcomes_get(user=national_admin, year=YEAR).funnel[0].count
    batch = make_batch(region_id="74.71", start=dt.date(YEAR, 4, 7), end=dt.date(YEAR, 4, 11))
    with django_capture_on_commit_callbacks(execute=True):
        make_participant(batch, name="Pendaftar baru")
    assert outcomes_get(user=national_admin, year=YEAR).funnel[0].count == before  # still yesterday's figure
    call_command("refresh_summaries", stdout=io.StringIO())
    assert outcomes_get(user=national_admin, year=YEAR).funnel[0].count == before + 1
    assert OutcomeSummary.objects.filter(area="", year=YEAR).count() == 1
