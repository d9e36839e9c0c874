"""E-mail goes out through the job mechanism (kind ``email``), the one way the project sends mail.

``queue_mail`` records a job after the caller's transaction commits, so a rolled-back decision sends nothing and
a mail server that is down never undoes one; the worker sends it, and an unexpected failure (a refused connection,
a timeout) is retried by ``core.jobs`` up to ``JobKindOptions.max_attempts``. The job row is the record of every
message: who it went to, when, and the error of a failed attempt.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.core.mail import EmailMessage
from django.utils.translation import gettext as _

from sentra.core.models import Job


def queue_mail(*, subject: str, body: str, to: Iterable[str], actor: Any = None) -> Job | None:
    """Send ``body`` to the addresses ``to`` in the background (one message, every address in To).

    Returns the job, or None when there is no address to write to."""
    from sentra.core.jobs import job_start

    recipients = sorted({address.strip() for address in to if address and address.strip()})
    if not recipients:
        return None
    subject = " ".join(str(subject).split())[:200]  # a header: one line
    return job_start(
        actor=actor if getattr(actor, "is_authenticated", False) else None,
        kind="email",
        title=_("Surel: {subject}").format(subject=subject),
        params={"subject": subject, "body": str(body), "to": recipients},
    )


def run_mail_job(ctx: Any) -> dict[str, Any]:
    """The ``email`` job handler: one message; an exception makes ``core.jobs`` retry it."""
    params = ctx.params
    recipients = list(params.get("to") or [])
    ctx.progress(0, len(recipients), force=True)
    EmailMessage(params.get("subject", ""), params.get("body", ""), None, recipients).send(fail_silently=False)
    ctx.progress(len(recipients), len(recipients), force=True)
    return {"sent": len(recipients)}
