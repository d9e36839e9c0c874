"""The 12-month follow-up answer rate is one figure: the class page and the evaluation page print the same
counts for the same class, read by one user, because both count through training.selectors.followup_answer_rates."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.urls import reverse

from sentra.reports.evaluation import evaluation_refresh
from sentra.training import services
from sentra.training.models import Participant
from tests.reports.evaluation_data import build_region

pytestmark = pytest.mark.django_db


def _class_page_twelve(html: str) -> tuple[int, int]:
    row = re.search(r'data-testid="answer-rate-12">(.*?)</tr>', html, re.S)
    assert row, "the class page shows the 12-month answer rate"
    cells = [re.sub(r"<[^>]+>|\s+", "", c) for c in re.findall(r'<td class="num"[^>]*>(.*?)</td>', row.group(1))]
    return int(cells[1]), int(cells[0])  # answered, due


def _evaluation_page_twelve(html: str, batch_id: int) -> tuple[int, int]:
    part = html[html.index(f'data-group="kelas:{batch_id}"') :]
    part = part[part.index('data-outcome="answers"') :].split("</li>", 1)[0]
    found = re.search(r"dijawab\s+(\d+)\s+dari\s+(\d+)", part)
    assert found, part
    return int(found.group(1)), int(found.group(2))


def test_class_page_and_evaluation_page_print_the_same_answer_rate(world, client_for):
    build_region("74.71", trained=8, untrained=12, growth=1.2, answered=5)
    batch = Participant.objects.filter(batch__region_id="74.71").first().batch
    # An alumnus answered at 3 months only: not a 12-month answer on either page.
    extra = Participant.objects.filter(batch=batch).exclude(followups__months=12).first()
    services.followup_record(
        actor=world.officer_a, participant=extra, months=3, contacted_on=batch.end_date + dt.timedelta(days=95)
    )
    evaluation_refresh()
    client = client_for(world.officer_a)
    class_figure = _class_page_twelve(client.get(batch.get_absolute_url()).content.decode())
    evaluation_figure = _evaluation_page_twelve(
        client.get(reverse("reports:outcomes"), {"wilayah": "74.71"}).content.decode(), batch.pk
    )
    assert class_figure == evaluation_figure == (5, 8)
