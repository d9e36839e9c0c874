"""Dashboard figures follow the user's scope: an owner counts their own certificates only."""

import pytest

from sentra.training import services
from sentra.training.figures import training_figures
from tests.training.factories import complete_participant, make_batch, make_participant

pytestmark = pytest.mark.django_db


def test_owner_counts_only_own_certificates(owner_user, officer_region_a):
    batch = make_batch()
    mine, other = make_participant(batch), make_participant(batch)
    mine.owner.user = owner_user
    mine.owner.save(update_fields=["user"])
    for participant in (mine, other):
        complete_participant(participant, present_days=6, post="90")
    services.batch_assess(actor=None, batch=batch)
    services.certificates_issue(actor=None, batch=batch)

    def certificates(user):
        return {f.label: f.value for f in training_figures(user)}.get("Sertifikat pelatihan terbit")

    # Officers read trainings per region and year on the drill-down dashboard (reports.ProgrammeCube) instead.
    assert certificates(officer_region_a) is None
    assert certificates(owner_user) == 1
