import datetime as dt

import pytest
from django.core.exceptions import ValidationError

from sentra.training.calendar import skipped_days, working_days
from tests.training.factories import make_batch


def test_kendari_july_2022_is_six_days_with_sunday_off():
    days = working_days(dt.date(2022, 7, 19), dt.date(2022, 7, 25))
    assert len(days) == 6
    assert dt.date(2022, 7, 24) not in days  # Sunday
    assert days[0] == dt.date(2022, 7, 19) and days[-1] == dt.date(2022, 7, 25)
    assert skipped_days(dt.date(2022, 7, 19), dt.date(2022, 7, 25)) == [(dt.date(2022, 7, 24), "Minggu")]


def test_national_holiday_is_skipped():
    # 15–20 August 2022: Monday to Saturday with Independence Day (Wednesday 17 August) in the middle.
    days = working_days(dt.date(2022, 8, 15), dt.date(2022, 8, 20))
    assert dt.date(2022, 8, 17) not in days
    assert len(days) == 5
    (skipped,) = skipped_days(dt.date(2022, 8, 15), dt.date(2022, 8, 20))
    assert skipped[0] == dt.date(2022, 8, 17)
    assert "Kemerdekaan" in skipped[1]


def test_reversed_range_has_no_days():
    assert working_days(dt.date(2022, 7, 25), dt.date(2022, 7, 19)) == []


@pytest.mark.django_db
def test_batch_materialises_its_working_days():
    batch = make_batch()
    assert [d.number for d in batch.days.order_by("date")] == [1, 2, 3, 4, 5, 6]
    holiday_batch = make_batch(start=dt.date(2022, 8, 15), end=dt.date(2022, 8, 20))
    assert dt.date(2022, 8, 17) not in set(holiday_batch.days.values_list("date", flat=True))
    assert holiday_batch.days.count() == 5


@pytest.mark.django_db
def test_batch_on_a_sunday_only_is_refused():
    with pytest.raises(ValidationError) as exc:
        make_batch(start=dt.date(2022, 7, 24), end=dt.date(2022, 7, 24))
    assert "Tidak ada hari kerja" in str(exc.value)


@pytest.mark.django_db
def test_moving_dates_keeps_days_with_attendance():
    from sentra.training import services
    from tests.training.factories import make_participant

    batch = make_batch()
    p = make_participant(batch)
    last = batch.days.order_by("-date").first()
    services.attendance_set(actor=None, participant=p, day=last, present=True)
    with pytest.raises(ValidationError):
        services.batch_update(actor=None, batch=batch, end_date=dt.date(2022, 7, 23))
    batch.refresh_from_db()
    assert batch.days.count() == 6
