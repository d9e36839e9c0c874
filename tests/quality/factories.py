"""Factories of the quality app: every object lands in region A (Kota Kendari) unless told otherwise."""

from __future__ import annotations

import datetime as dt

import factory
from django.core.files.base import ContentFile

from sentra.quality import services
from sentra.quality.models import Certification, ChecklistVersion, IndiAssessment
from tests.registry.factories import BusinessFactory
from tests.upload_samples import PNG as REAL_PNG

PNG = REAL_PNG  # a real image: uploads are opened and verified (core.uploads)
PDF = b"%PDF-1.4\n%demo\n" + b"0" * 64


def png_file(name: str = "foto.png") -> ContentFile:
    return ContentFile(PNG, name=name)


def pdf_file(name: str = "sertifikat.pdf") -> ContentFile:
    return ContentFile(PDF, name=name)


class CertificationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Certification

    business = factory.SubFactory(BusinessFactory)
    region_id = factory.LazyAttribute(lambda o: o.business.region_id)
    kind = "halal"
    number = factory.Sequence(lambda n: f"ID7411000{n:08d}")
    issuer = "BPJPH"
    issued_on = dt.date(2024, 1, 10)
    expires_on = dt.date(2028, 1, 10)


def iso_version() -> ChecklistVersion:
    return ChecklistVersion.objects.get(template__code="iso-9001", status="published")


def make_assessment(*, business=None, actor=None, assessed_on=None, checklist=None, **kwargs):
    business = business or BusinessFactory()
    return services.assessment_start(
        actor=actor,
        business=business,
        checklist=checklist or iso_version(),
        assessed_on=assessed_on or dt.date(2024, 5, 1),
        **kwargs,
    )


def score_all(assessment, score: int = 2) -> None:
    assessment.answers.update(score=score)


def make_finding(*, assessment=None, **kwargs):
    assessment = assessment or make_assessment()
    return services.finding_create(
        actor=None, assessment=assessment, severity=kwargs.get("severity", "minor"), description="Belum ada SOP."
    )


def make_action(*, responsible, actor=None, finding=None, due_on=dt.date(2030, 1, 1), description="Susun SOP"):
    """A corrective action (CAPA) on a new finding, open, due in 2030."""
    return services.action_create(
        actor=actor, finding=finding or make_finding(), description=description, responsible=responsible, due_on=due_on
    )


def make_indi(*, business=None, actor=None, score: int = 2, submit: bool = True) -> IndiAssessment:
    from sentra.quality.models import IndiAnswer, IndiQuestion

    business = business or BusinessFactory()
    assessment = services.indi_start(actor=actor, business=business)
    questions = IndiQuestion.objects.filter(pillar__version=assessment.questionnaire)
    IndiAnswer.objects.bulk_create([IndiAnswer(assessment=assessment, question=q, score=score) for q in questions])
    if submit:
        services.indi_submit(actor=actor, assessment=assessment)
    return assessment
