"""Factories for training tests: a programme with modules, a batch with its working days, participants."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from sentra.training import services
from sentra.training.choices import BatchStatus, ParticipantStatus
from sentra.training.models import Batch, Participant, Programme
from tests.registry.factories import BusinessFactory, OwnerFactory


def make_programme(*, region_id: str = "74.71", min_attendance_pct: int = 80, min_post_test: str = "60") -> Programme:
    programme = Programme.objects.create(
        title="Pelatihan Manajemen Mutu",
        kind="pelatihan",
        region_id=region_id,
        min_attendance_pct=min_attendance_pct,
        min_post_test=Decimal(min_post_test),
    )
    programme.modules.create(order=1, title="Kelembagaan sentra", hours_jp=24)
    programme.modules.create(order=2, title="Manajemen mutu", hours_jp=24)
    return programme


def make_batch(
    *,
    region_id: str = "74.71",
    start: dt.date = dt.date(2022, 7, 19),
    end: dt.date = dt.date(2022, 7, 25),
    quota: int = 30,
    status: str = BatchStatus.CLOSED,
    programme: Programme | None = None,
    trainers: list | None = None,
    **extra,
) -> Batch:
    from sentra.regions.models import Region

    programme = programme or make_programme(region_id=region_id)
    return services.batch_create(
        actor=None,
        programme=programme,
        name=f"Kelas {programme.title} {start.year}",
        organiser="Dinas Tenaga Kerja dan Perindustrian Kota Kendari",
        start_date=start,
        end_date=end,
        venue="Hotel di Kota Kendari",
        quota=quota,
        status=status,
        region=Region.objects.get(pk=region_id),
        trainers=trainers or [],
        signatory_name="Muhammad Ali Aksa",
        signatory_title="Kepala Dinas",
        **extra,
    )


def make_participant(batch: Batch, *, accept: bool = True, name: str | None = None) -> Participant:
    owner = OwnerFactory(region_id=batch.region_id, **({"full_name": name} if name else {}))
    business = BusinessFactory(region_id=batch.region_id, owners=[owner])
    participant = services.participant_register(actor=None, batch=batch, owner=owner, business=business, accept=accept)
    return participant


def complete_participant(participant: Participant, *, present_days: int, post: str, pre: str = "40") -> Participant:
    days = list(participant.batch.days.order_by("date"))
    for i, day in enumerate(days):
        services.attendance_set(actor=None, participant=participant, day=day, present=i < present_days)
    return services.scores_set(actor=None, participant=participant, pre_test=Decimal(pre), post_test=Decimal(post))


def accepted(batch: Batch) -> int:
    return batch.participants.filter(status=ParticipantStatus.ACCEPTED).count()


def make_application(batch: Batch, **typed) -> Participant:
    """A public application as typed on the form (the batch is opened for it if needed), not matched to anyone."""
    from sentra.regions.models import Region

    if batch.status != BatchStatus.OPEN:
        Batch.objects.filter(pk=batch.pk).update(status=BatchStatus.OPEN)
        batch.status = BatchStatus.OPEN
    data = {
        "full_name": "Nur Aisyah",
        "nik": "7471035504980001",
        "birth_date": dt.date(1998, 4, 15),
        "gender": "P",
        "phone": "+6281234567890",
        "email": "aisyah@example.org",
        "region": Region.objects.get(pk=batch.region_id),
        "address": "Jl. Lepo-Lepo 1",
        "business_plan": "plans",
        "business_name": "Keripik pisang",
        "motivation": "Ingin memulai usaha.",
    } | typed
    participant = services.application_submit(batch=batch, data=data, source_ip="192.0.2.10")
    assert participant is not None
    return participant
