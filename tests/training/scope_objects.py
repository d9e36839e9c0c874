"""Scope providers for every training URL with arguments (the URLconf walk, tests/core/test_scope_walk.py)."""

from sentra.core.testing import scope_provider
from sentra.training import services
from tests.training.factories import (
    complete_participant,
    make_application,
    make_batch,
    make_participant,
    make_programme,
)


@scope_provider("training:programme_detail", "training:programme_edit")
def programme(world):
    return {"pk": make_programme().pk}


@scope_provider("training:module_delete")
def module(world):
    programme = make_programme()
    return {"pk": programme.pk, "module_pk": programme.modules.first().pk}


@scope_provider(
    "training:batch_detail",
    "training:batch_edit",
    "training:batch_history",
    "training:batch_schedule",
    "training:participant_add",
    "training:participant_paste",
    "training:attendance_grid",
    "training:scores",
    "training:batch_assess",
    "training:certificates_issue",
    "training:evaluation",
    "training:evaluation_results",
    "training:report_pdf",
    "training:report_xlsx",
    "training:followup_remind",
)
def batch(world):
    return {"pk": make_batch().pk}


@scope_provider("training:session_delete")
def session(world):
    import datetime as dt

    b = make_batch()
    s = services.session_add(
        actor=None, batch=b, day=b.days.first(), start_time=dt.time(8), end_time=dt.time(12), topic="Pembukaan"
    )
    return {"pk": b.pk, "session_pk": s.pk}


@scope_provider("training:attendance_day")
def attendance_day(world):
    b = make_batch()
    make_participant(b)
    return {"pk": b.pk, "number": 1}


@scope_provider("training:offline_sync")
def offline_sync(world):
    return {"pk": make_batch().pk}


@scope_provider("training:attendance_toggle")
def attendance_toggle(world):
    b = make_batch()
    p = make_participant(b)
    return {"pk": b.pk, "number": 1, "participant_pk": p.pk}


@scope_provider("training:participant_decide", "training:participant_withdraw", "training:participant_followup")
def participant(world):
    b = make_batch()
    p = make_participant(b)
    return {"pk": b.pk, "participant_pk": p.pk}


@scope_provider("training:certificate_pdf", "training:certificate_revoke")
def certificate(world):
    b = make_batch()
    p = make_participant(b)
    complete_participant(p, present_days=6, post="80")
    services.batch_assess(actor=None, batch=b)
    cert = services.certificates_issue(actor=None, batch=b)[0]
    return {"pk": cert.pk}


@scope_provider("training:participant_review")
def participant_review(world):
    b = make_batch()
    return {"pk": b.pk, "participant_pk": make_application(b).pk}
