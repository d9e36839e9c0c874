"""Permissions the training app grants to roles."""

from sentra.accounts.roles import OFFICERS, Role, grant

MODELS = (
    "programme",
    "module",
    "batch",
    "batchday",
    "session",
    "externaltrainer",
    "participant",
    "attendance",
    "certificate",
    "followup",
)


def register() -> None:
    grant(
        OFFICERS, *(f"training.{action}_{model}" for model in MODELS for action in ("view", "add", "change", "delete"))
    )
    grant(
        OFFICERS,
        "training.take_attendance_batch",
        "training.issue_certificates_batch",
        "training.report_batch",
        "training.view_evaluationresponse",
        # Officers type in paper survey forms; the answer is as anonymous as one given online.
        "training.add_evaluationresponse",
    )
    # Trainers see their own classes, take attendance and see the aggregated evaluation of their classes.
    grant(
        (Role.TRAINER,),
        "training.view_programme",
        "training.view_batch",
        "training.view_participant",
        "training.view_certificate",
        "training.take_attendance_batch",
        "training.view_evaluationresponse",
    )
    # Business owners see their own participation and answer the evaluation of a class they attended.
    # Business owners see their own participation (and the programme of a class they joined) and answer the
    # evaluation of a class they attended.
    grant(
        (Role.BUSINESS_OWNER,),
        "training.view_programme",
        "training.view_batch",
        "training.view_participant",
        "training.add_evaluationresponse",
    )
