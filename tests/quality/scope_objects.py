"""Scope providers for every quality URL that takes arguments (the URLconf walk, tests/core/test_scope_walk.py)."""

from sentra.core.testing import scope_provider
from sentra.quality.services import action_create
from tests.quality.factories import (
    CertificationFactory,
    make_assessment,
    make_finding,
    make_indi,
    pdf_file,
    png_file,
)
from tests.registry.factories import BusinessFactory


@scope_provider(
    "quality:certification_detail",
    "quality:certification_edit",
    "quality:certification_delete",
    "quality:certification_history",
)
def certification(world):
    return {"pk": CertificationFactory().pk}


@scope_provider("quality:certification_document")
def certification_document(world):
    cert = CertificationFactory()
    cert.document.save("s.pdf", pdf_file(), save=True)
    return {"pk": cert.pk}


@scope_provider("quality:business_quality", "quality:certification_add", "quality:assessment_add", "quality:indi_start")
def business(world):
    return {"business_pk": BusinessFactory(region_id="74.71").pk}


@scope_provider(
    "quality:assessment_detail",
    "quality:assessment_fill",
    "quality:finding_add",
    "quality:assessment_history",
)
def assessment(world):
    return {"pk": make_assessment().pk}


@scope_provider("quality:assessment_photo")
def assessment_photo(world):
    assessment = make_assessment()
    answer = assessment.answers.first()
    answer.photo.save("f.png", png_file(), save=True)
    return {"pk": assessment.pk, "answer_pk": answer.pk}


@scope_provider("quality:action_create")
def finding(world):
    return {"finding_pk": make_finding().pk}


@scope_provider("quality:action_detail", "quality:action_transition", "quality:action_history")
def action(world):
    import datetime as dt

    f = make_finding()
    a = action_create(
        actor=None, finding=f, description="Susun SOP", responsible=world.officer_a, due_on=dt.date(2030, 1, 1)
    )
    return {"pk": a.pk}


@scope_provider("quality:indi_detail", "quality:indi_verify", "quality:indi_history")
def indi(world):
    return {"pk": make_indi().pk}


@scope_provider("quality:indi_step")
def indi_step(world):
    return {"pk": make_indi(submit=False).pk, "step": 1}


@scope_provider("quality:indi_offline_sync")
def indi_offline_sync(world):
    return {"pk": make_indi(submit=False).pk}


@scope_provider("quality:indi_evidence")
def indi_evidence(world):
    assessment = make_indi()
    answer = assessment.answers.first()
    answer.evidence.save("b.pdf", pdf_file(), save=True)
    return {"pk": assessment.pk, "answer_pk": answer.pk}


@scope_provider("quality:batch_quality")
def batch(world):
    from tests.training.factories import make_batch

    return {"batch_pk": make_batch().pk}
