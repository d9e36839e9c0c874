import datetime as dt

from sentra.centres.choices import UnitKind
from sentra.centres.selectors import centre_list, occupancy, occupancy_series
from tests.centres.factories import CentreFactory, TenancyFactory, UnitFactory

D = dt.date


def test_occupancy_counts_let_workshops_only(db, officer_region_a):
    centre = CentreFactory()
    units = [UnitFactory(centre=centre, code=f"W-{i:02d}") for i in range(41)]
    UnitFactory(centre=centre, code="K-01", kind=UnitKind.SUPPORT)
    kiln = UnitFactory(centre=centre, code="K-02", kind=UnitKind.SUPPORT)
    for unit in units[:11]:
        TenancyFactory(unit=unit, start_date=D(2022, 1, 3))
    TenancyFactory(unit=units[11], start_date=D(2022, 1, 3), end_date=D(2022, 12, 31))  # ended
    TenancyFactory(unit=units[12], start_date=D(2024, 1, 1))  # later
    from sentra.centres.models import Tenancy

    Tenancy.objects.create(
        unit=kiln, centre=centre, business=units[0].tenancies.first().business, start_date=D(2022, 1, 1)
    )

    jan_2022 = occupancy(centre, D(2022, 1, 31))
    assert (jan_2022.occupied, jan_2022.total) == (12, 41)
    assert str(jan_2022.rate) == "29.3"
    jan_2023 = occupancy(centre, D(2023, 1, 31))
    assert (jan_2023.occupied, jan_2023.vacant) == (11, 30)
    assert str(jan_2023.rate) == "26.8"
    assert occupancy(centre, D(2024, 6, 1)).occupied == 12
    assert [o.occupied for o in occupancy_series(centre, [D(2021, 12, 31), D(2022, 1, 31), D(2024, 6, 1)])] == [
        0,
        12,
        12,
    ]

    row = centre_list(user=officer_region_a).get(pk=centre.pk)
    assert (row.units_occupied, row.units_total) == (12, 41)


def test_occupancy_of_a_centre_without_units_is_unknown(db):
    occ = occupancy(CentreFactory(), D(2024, 1, 1))
    assert occ.rate is None and occ.total == 0
