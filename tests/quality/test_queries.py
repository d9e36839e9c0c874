"""Query counts of the list and detail pages do not grow with the number of rows (DEVELOPERS.md "Speed")."""

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from sentra.quality import services
from tests.quality.factories import CertificationFactory, make_assessment, make_finding, make_indi

pytestmark = pytest.mark.django_db


def count(client, url):
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200, url
    return len(ctx.captured_queries)


def _grow(world, n):
    for _ in range(n):
        CertificationFactory(expires_on=dt.date.today() + dt.timedelta(days=10))
        f = make_finding()
        services.action_create(
            actor=None, finding=f, description="SOP", responsible=world.officer_a, due_on=dt.date(2030, 1, 1)
        )
        make_indi()


@pytest.mark.parametrize(
    "name",
    [
        "quality:index",
        "quality:certification_list",
        "quality:certification_expiry",
        "quality:assessment_list",
        "quality:action_list",
        "quality:indi_overview",
        "quality:notice_list",
        "quality:checklist_list",
    ],
)
def test_lists_do_not_grow(client_for, world, name):
    client = client_for(world.officer_a)
    _grow(world, 1)
    few = count(client, reverse(name))
    _grow(world, 4)
    many = count(client, reverse(name))
    assert many == few, f"{name}: {few} queries with 1 row, {many} with 5"
    assert many <= 25


def test_assessment_detail_does_not_grow_with_findings(client_for, world):
    assessment = make_assessment()
    make_finding(assessment=assessment)
    client = client_for(world.officer_a)
    few = count(client, assessment.get_absolute_url())
    for _ in range(4):
        f = make_finding(assessment=assessment)
        services.action_create(
            actor=None, finding=f, description="SOP", responsible=world.officer_a, due_on=dt.date(2030, 1, 1)
        )
    assert count(client, assessment.get_absolute_url()) == few
    assert few <= 25
    assert count(client, reverse("quality:assessment_fill", args=[assessment.pk])) <= 15


def test_indi_detail_and_step_are_bounded(client_for, world):
    a = make_indi()
    client = client_for(world.officer_a)
    assert count(client, a.get_absolute_url()) <= 20
    draft = make_indi(submit=False)
    assert count(client, reverse("quality:indi_step", args=[draft.pk, 3])) <= 15
