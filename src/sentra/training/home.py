"""The training app's cards on the home pages of trainers (their classes, today's roll call, missing scores)
and business owners (their classes and certificates, classes open for applications)."""

from __future__ import annotations

from typing import Any

from django.db.models import Case, Count, IntegerField, Q, Value, When
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from sentra.core.dashboard import HomeSection
from sentra.core.templatetags.sentra import tanggal
from sentra.training import selectors
from sentra.training.choices import BatchStatus, ParticipantStatus
from sentra.training.models import BatchDay, Seats

LIMIT = 8
RUNNING = (BatchStatus.OPEN, BatchStatus.CLOSED)


def trainer_classes(user: Any) -> dict[str, Any]:
    """The trainer's classes by relevance: those running today, then the upcoming ones (soonest first), then the
    past ones (latest first). A trainer whose classes all ended still sees them (their scores and reports live
    there), not an empty card."""
    today = timezone.localdate()
    classes = selectors.batch_list(user=user).exclude(status=BatchStatus.CANCELLED)
    current = Q(start_date__lte=today, end_date__gte=today)
    # Two reads, each in its own order: running then upcoming soonest first; past ones latest first.
    running_first = Case(When(current, then=Value(0)), default=Value(1), output_field=IntegerField())
    coming = list(
        classes.filter(current | Q(start_date__gt=today)).order_by(running_first, "start_date", "id")[: LIMIT + 1]
    )
    past = list(classes.filter(end_date__lt=today).order_by("-end_date", "-id")[: LIMIT + 1 - len(coming)])
    batches = coming + past
    card: dict[str, Any] = {"batches": batches[:LIMIT], "more": len(batches) > LIMIT, "today": today}
    if not batches:
        card["hint"] = _(
            "Belum ada kelas yang akan datang atas nama Anda. Petugas dinas menugaskan pelatih pada kelas."
        )
    else:
        first = batches[0]
        card["next"] = {"label": _("Buka {name}").format(name=first.name), "url": first.get_absolute_url()}
        if not coming:
            card["hint"] = _("Belum ada kelas yang akan datang atas nama Anda; kelas di bawah sudah selesai.")
    return card


def trainer_roll_call(user: Any) -> dict[str, Any]:
    """Today's class days of the trainer (the roll call to take), else the next one."""
    today = timezone.localdate()
    visible = selectors.batch_list(user=user).filter(status__in=RUNNING).values("pk")
    days = list(
        BatchDay.objects.filter(batch__in=visible, date__gte=today)
        .select_related("batch")
        .order_by("date", "batch__start_date", "batch_id")[:LIMIT]
    )
    todays = [d for d in days if d.date == today]
    card: dict[str, Any] = {"days": todays}
    if todays:
        first = todays[0]
        card["next"] = {
            "label": _("Isi presensi {name} hari ke-{number}").format(name=first.batch.name, number=first.number),
            "url": reverse("training:attendance_day", args=[first.batch_id, first.number]),
        }
    elif days:
        card["hint"] = _("Tidak ada kelas hari ini. Kelas berikutnya: {name}, {date} (hari ke-{number}).").format(
            name=days[0].batch.name, date=tanggal(days[0].date), number=days[0].number
        )
    else:
        card["hint"] = _("Tidak ada jadwal kelas hari ini maupun sesudahnya.")
    return card


def trainer_scores(user: Any) -> dict[str, Any]:
    """Classes that have begun whose accepted participants still lack a pre-test or post-test score."""
    today = timezone.localdate()
    missing = Q(participants__status=ParticipantStatus.ACCEPTED) & (
        Q(participants__pre_test__isnull=True) | Q(participants__post_test__isnull=True)
    )
    batches = list(
        selectors.batch_list(user=user)
        .filter(status__in=(*RUNNING, BatchStatus.COMPLETED), start_date__lte=today)
        .annotate(missing_scores=Count("participants", filter=missing, distinct=True))
        .filter(missing_scores__gt=0)
        .order_by("end_date", "id")[:LIMIT]
    )
    card: dict[str, Any] = {"batches": batches}
    if not batches:
        card["hint"] = _("Nilai pre-test dan post-test semua kelas Anda yang sudah berjalan sudah lengkap.")
    elif user.has_perm("training.change_participant"):
        card["next"] = {
            "label": _("Isi nilai {name}").format(name=batches[0].name),
            "url": reverse("training:scores", args=[batches[0].pk]),
        }
    else:
        card["hint"] = _(
            "Serahkan lembar nilai pre-test dan post-test kepada petugas penyelenggara kelas; petugas memasukkannya "
            "di halaman Nilai kelas."
        )
    return card


def owner_trainings(user: Any) -> dict[str, Any]:
    """The owner's classes (status, certificate) and the classes open for applications they are not in."""
    mine = list(selectors.my_participations(user=user)[:LIMIT])
    joined = {p.batch_id for p in mine}
    open_batches = [b for b in selectors.batch_open_list(limit=LIMIT + len(joined)) if b.pk not in joined][:LIMIT]
    for batch in open_batches:
        batch.seat_info = Seats(quota=batch.quota, accepted=batch.accepted_count)
    card: dict[str, Any] = {"participations": mine, "open_batches": open_batches}
    if open_batches:
        first = open_batches[0]
        card["next"] = {
            "label": _("Daftar {name}").format(name=first.name),
            "url": reverse("training:apply", args=[first.pk]),
        }
    elif not mine:
        card["hint"] = _("Belum ada kelas yang membuka pendaftaran. Kelas baru diumumkan di halaman ini.")
    return card


TRAINER_CLASSES = HomeSection("classes", gettext_lazy("Kelas saya"), "training/home/classes.html", trainer_classes, 10)
TRAINER_ROLL_CALL = HomeSection(
    "roll-call", gettext_lazy("Presensi hari ini"), "training/home/roll_call.html", trainer_roll_call, 20
)
TRAINER_SCORES = HomeSection(
    "scores", gettext_lazy("Nilai yang belum diisi"), "training/home/scores.html", trainer_scores, 30
)


def owner_followups(user: Any) -> dict[str, Any] | None:
    """The owner's follow-ups due now (3, 6, 12 months after a class), answered on the periodic-report pages."""
    from sentra.periodic.selectors import open_event_reports
    from sentra.training.followup_reports import followup_form

    form = followup_form()
    today = timezone.localdate()
    mine = form.expected_subjects(None, None).filter(pk__in=selectors.my_participations(user=user).values("pk"))
    items = [
        {
            "participant": subject,
            "period": period,
            "due": form.due_date(period),
            "draft": draft,
            "url": reverse("periodic:submission_start", args=[form.code, subject.pk, period.code]),
        }
        for subject, period, draft in open_event_reports(form, mine[:LIMIT], today)
    ]
    if not items:
        return None
    first = items[0]
    return {
        "items": items,
        "next": {
            "label": _("Isi tindak lanjut {name}").format(name=first["participant"].batch.name),
            "url": first["url"],
        },
    }


OWNER_FOLLOWUPS = HomeSection(
    "followups", gettext_lazy("Tindak lanjut pelatihan"), "training/home/followups.html", owner_followups, 35
)
OWNER_TRAININGS = HomeSection(
    "trainings", gettext_lazy("Pelatihan"), "training/home/trainings.html", owner_trainings, 40
)
