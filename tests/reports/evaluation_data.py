"""A small evaluation history: a 2022 class in Kendari (74.71) and one in Baubau (74.72), each with trained
businesses and untrained ones of the same KBLI division, size class and regency, and audited turnover changes
one year before and after the classes (the audit trail is the registry's history)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.contrib.contenttypes.models import ContentType
from django.utils import timezone

from sentra.core.models import AuditEvent
from sentra.regions.models import Kbli
from sentra.registry.models import Business
from sentra.training import services
from sentra.training.choices import ParticipantResult
from sentra.training.models import FollowUp, Participant
from tests.registry.factories import BusinessFactory, OwnerFactory
from tests.training.factories import make_batch

START = dt.date(2022, 7, 19)
CREATED = timezone.make_aware(dt.datetime(2020, 1, 1, 9))


def _at(day: dt.date) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time(10)))


def with_history(business: Business, pre: int, base: int, post: int) -> Business:
    """Turnover ``pre`` until mid-January 2022, ``base`` until mid-January 2023, ``post`` since (in Rp juta)."""
    million = Decimal(1_000_000)
    Business.objects.filter(pk=business.pk).update(turnover=post * million, created_at=CREATED)
    ct = ContentType.objects.get_for_model(Business)
    for day, before, after in ((dt.date(2022, 1, 15), pre, base), (dt.date(2023, 1, 15), base, post)):
        event = AuditEvent.objects.create(
            action="registry.business.updated",
            content_type=ct,
            object_id=str(business.pk),
            object_repr=business.name,
            region_id=business.region_id,
            changes={"turnover": [str(before * million), str(after * million)]},
        )
        AuditEvent.objects.filter(pk=event.pk).update(at=_at(day))
    return business


def build_region(region_id: str, *, trained: int, untrained: int, growth: float, answered: int) -> list[Business]:
    """A class of ``trained`` businesses (turnover × ``growth`` over the year after) and ``untrained`` comparable
    businesses (× 1.05); all grew 5 persen the year before. ``answered`` participants have a 12-month follow-up."""
    kbli = Kbli.objects.filter(code="16221").first() or Kbli.objects.filter(code__regex=r"^16\d{3}$").first()
    batch = make_batch(region_id=region_id, start=START, end=START + dt.timedelta(days=6))
    village = {"74.71": ("74.71.03", "74.71.03.1002")}.get(region_id)
    place = (
        {"district_id": village[0], "village_id": village[1]} if village else {"district_id": None, "village_id": None}
    )
    out = []
    for i in range(trained + untrained):
        owner = OwnerFactory(region_id=region_id)
        business = BusinessFactory(region_id=region_id, owners=[owner], kbli=kbli, **place)
        base = 100 + 10 * i
        is_trained = i < trained
        with_history(business, round(base / 1.05), base, round(base * (growth if is_trained else 1.05)))
        if is_trained:
            p = services.participant_register(actor=None, batch=batch, owner=owner, business=business, accept=True)
            Participant.objects.filter(pk=p.pk).update(result=ParticipantResult.PASSED)
            if i < answered:
                FollowUp.objects.create(participant=p, months=12, contacted_on=dt.date(2023, 7, 20))
        out.append(business)
    return out
