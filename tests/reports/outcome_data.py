"""A small programme history in three regencies (Kendari 74.71, Baubau 74.72, Makassar 73.71) for the outcome,
assistance and profile tests. Each participant reaches the funnel stages by a fixed pattern of its index."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.utils import timezone

from sentra.budget.models import PlanStatus
from sentra.centres.models import EquipmentHandover
from sentra.registry.models import Business
from sentra.training.choices import ParticipantStatus
from sentra.training.models import Certificate, FollowUp, Participant
from tests.budget.factories import make_line, make_plan
from tests.centres.factories import CentreFactory, GrantFactory, TenancyFactory, UnitFactory
from tests.training.factories import make_batch, make_participant

SIZES = {"74.71": 6, "74.72": 4, "73.71": 3}
YEAR = 2022


@dataclass
class ProgrammeData:
    batches: dict[str, Any] = field(default_factory=dict)
    participants: list[Participant] = field(default_factory=list)
    line: Any = None
    double_owner: Any = None


def _certify(p: Participant) -> None:
    Certificate.objects.create(
        participant=p,
        number=f"S-{p.pk}",
        holder_name=p.owner.full_name,
        programme_title="Pelatihan",
        organiser="Dinas",
        start_date=p.batch.start_date,
        end_date=p.batch.end_date,
        hours_jp=48,
        issued_at=timezone.now(),
    )


def build() -> ProgrammeData:
    data = ProgrammeData()
    for region, k in SIZES.items():
        batch = make_batch(region_id=region)
        data.batches[region] = batch
        for i in range(k):
            p = make_participant(batch, name=f"Peserta {region} {i}")
            data.participants.append(p)
            passed = i % 4 != 3
            Participant.objects.filter(pk=p.pk).update(result="passed" if passed else "failed")
            if passed and i % 3 != 2:
                _certify(p)
            FollowUp.objects.create(
                participant=p,
                months=3,
                contacted_on=dt.date(2022, 11, 1),
                started_business=i % 2 == 0,
                turnover=Decimal("500000000") if i % 2 == 0 else Decimal("400000000"),
                workforce=5,
            )
            if i == 1:
                Business.objects.filter(pk=p.business_id).update(nib=f"91200012345{len(data.participants):02d}")
            if i == 0:
                TenancyFactory(unit=UnitFactory(centre=CentreFactory(region_id=region)), business=p.business)
        rejected = make_participant(batch, accept=False, name=f"Ditolak {region}")
        Participant.objects.filter(pk=rejected.pk).update(status=ParticipantStatus.REJECTED)
        data.participants.append(rejected)
    # Another year in Kendari: not in 2022's figures.
    other = make_batch(region_id="74.71", start=dt.date(2021, 5, 3), end=dt.date(2021, 5, 7))
    Participant.objects.filter(pk=make_participant(other).pk).update(result="passed")
    # DAK: Kendari's 2022 batch is paid from a Rp1 miliar budget line (10 × Rp100 juta).
    data.line = make_line(plan=make_plan(region="74.71", status=PlanStatus.APPROVED))
    batch = data.batches["74.71"]
    type(batch).objects.filter(pk=batch.pk).update(budget_line=data.line)
    # A double recipient: Kendari's first participant also attends a second 2022 class.
    from sentra.training import services

    second = make_batch(region_id="74.71", start=dt.date(2022, 9, 5), end=dt.date(2022, 9, 9))
    first = data.participants[0]
    services.participant_register(actor=None, batch=second, owner=first.owner, business=first.business, accept=True)
    data.double_owner = first.owner
    grant = GrantFactory(region_id="74.71")
    EquipmentHandover.objects.create(
        grant=grant, bast_number="BAST-1", date=dt.date(2022, 10, 1), recipient_business=first.business
    )
    return data
