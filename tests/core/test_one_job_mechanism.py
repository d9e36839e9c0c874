"""One job mechanism: daily work from one registry run by ``sentra daily``, mail as retried jobs, and no other
background-task or mail-sending path outside core."""

from __future__ import annotations

import ast
import smtplib
from pathlib import Path

import pytest
from django.core import mail
from django.core.mail import EmailMessage
from django.core.management import CommandError, call_command

from sentra.core import schedules
from sentra.core.mail import queue_mail
from sentra.core.models import Job, JobState

SRC = Path(__file__).resolve().parents[2] / "src" / "sentra"


# --- No second path --------------------------------------------------------------------------------------------

MAIL_NAMES = {"send_mail", "send_mass_mail", "mail_admins", "mail_managers", "EmailMessage", "EmailMultiAlternatives"}


def _offences(path: Path) -> list[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.module in ("django_tasks", "django.tasks"):
            found += [f"imports {a.name} from {node.module}" for a in node.names]
        elif isinstance(node, ast.Import):
            found += [f"imports {a.name}" for a in node.names if a.name in ("django_tasks", "django.tasks")]
        if isinstance(node, ast.ImportFrom) and node.module == "django.core.mail":
            found += [f"imports {a.name} from django.core.mail" for a in node.names if a.name in MAIL_NAMES]
        elif isinstance(node, ast.Attribute) and node.attr in MAIL_NAMES:
            found.append(f"uses .{node.attr}")
        elif isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
            for deco in node.decorator_list:
                target = deco.func if isinstance(deco, ast.Call) else deco
                name = target.attr if isinstance(target, ast.Attribute) else getattr(target, "id", "")
                if name == "task":
                    found.append(f"@task on {node.name}")
    return found


def test_no_module_outside_core_defines_a_task_or_sends_mail_directly():
    offenders = {}
    for path in sorted(SRC.rglob("*.py")):
        rel = path.relative_to(SRC)
        if rel.parts[0] in ("core", "settings") or "migrations" in rel.parts:
            continue
        if found := _offences(path):
            offenders[str(rel)] = found
    assert offenders == {}, "use sentra.core.jobs (register_job_handler) and sentra.core.mail.queue_mail"


def test_the_guard_finds_what_it_forbids(tmp_path):
    bad = tmp_path / "bad.py"
    bad.write_text(
        "from django_tasks import task\nfrom django.core.mail import send_mail\nimport django.core.mail as m\n"
        "@task()\ndef t():\n    m.EmailMessage('a', 'b').send()\n",
        encoding="utf-8",
    )
    found = _offences(bad)
    assert "imports task from django_tasks" in found and "@task on t" in found
    assert "imports send_mail from django.core.mail" in found and "uses .EmailMessage" in found


# --- sentra daily -------------------------------------------------------------------------------------------------

CALLS: list[tuple[str, object]] = []


def _first(*, today):
    CALLS.append(("first", today))
    return 2


def _second(*, today):
    CALLS.append(("second", today))
    return {"done": 1}


def _broken(*, today):
    raise RuntimeError("down")


@pytest.fixture
def fake_registry(monkeypatch):
    CALLS.clear()
    monkeypatch.setattr(schedules, "_SCHEDULES", {})
    schedules.register_schedule("b-second", "Kedua", f"{__name__}._second", order=20)
    schedules.register_schedule("a-first", "Pertama", f"{__name__}._first", order=10)


def test_the_apps_register_their_daily_work():
    names = {s.name for s in schedules.schedules()}
    assert {"periodic-reminders", "quality-expiry-notices", "retention", "reports-summaries"} <= names


@pytest.mark.django_db
def test_daily_runs_every_registered_schedule_once_as_a_job(fake_registry, capsys):
    call_command("daily", "--date", "2026-03-02")
    import datetime as dt

    assert CALLS == [("first", dt.date(2026, 3, 2)), ("second", dt.date(2026, 3, 2))]
    jobs = list(Job.objects.filter(kind="schedule").order_by("id"))
    assert [(j.params["name"], j.state, j.user_id) for j in jobs] == [
        ("a-first", JobState.SUCCEEDED, None),
        ("b-second", JobState.SUCCEEDED, None),
    ]
    assert jobs[0].result == {"summary": 2} and jobs[1].result == {"done": 1}
    assert "a-first: selesai" in capsys.readouterr().out


@pytest.mark.django_db
def test_daily_runs_the_others_and_fails_when_one_schedule_fails(fake_registry):
    schedules.register_schedule("c-broken", "Rusak", f"{__name__}._broken", order=15)
    with pytest.raises(CommandError, match="c-broken"):
        call_command("daily")
    assert [name for name, _day in CALLS] == ["first", "second"]
    broken = Job.objects.get(params__name="c-broken")
    assert broken.state == JobState.FAILED and "RuntimeError" in broken.errors[0]


@pytest.mark.django_db
def test_daily_refuses_an_unknown_schedule(fake_registry):
    with pytest.raises(CommandError, match="tidak dikenal"):
        call_command("daily", "--only", "nope")
    assert CALLS == []


@pytest.mark.django_db
def test_daily_runs_the_real_registry_on_an_empty_database():
    call_command("daily")
    jobs = Job.objects.filter(kind="schedule")
    assert jobs.count() == len(schedules.schedules())
    assert set(jobs.values_list("state", flat=True)) == {JobState.SUCCEEDED}


# --- Mail as a job ------------------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_mail_is_sent_by_a_job_after_commit(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        job = queue_mail(subject="Pengingat\nlaporan", body="Isi", to=["b@example.test", "a@example.test", ""])
        assert mail.outbox == []  # nothing before the commit
    job.refresh_from_db()
    assert job.kind == "email" and job.state == JobState.SUCCEEDED and job.result == {"sent": 2}
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == ["a@example.test", "b@example.test"] and mail.outbox[0].subject == "Pengingat laporan"


@pytest.mark.django_db
def test_no_address_no_job():
    assert queue_mail(subject="x", body="y", to=["", " "]) is None
    assert not Job.objects.exists()


@pytest.mark.django_db
def test_a_refused_mail_is_retried_then_recorded_as_failed(monkeypatch, django_capture_on_commit_callbacks):
    tries = []

    def refuse(self, fail_silently=False):
        tries.append(self.to)
        raise smtplib.SMTPServerDisconnected("gone")

    monkeypatch.setattr(EmailMessage, "send", refuse)
    with django_capture_on_commit_callbacks(execute=True):
        job = queue_mail(subject="s", body="b", to=["a@example.test"])
    job.refresh_from_db()
    assert len(tries) == 3 and job.attempts == 3
    assert job.state == JobState.FAILED and "SMTPServerDisconnected" in job.errors[0]


@pytest.mark.django_db
def test_a_mail_that_fails_once_goes_out_on_the_retry(monkeypatch, django_capture_on_commit_callbacks):
    real = EmailMessage.send
    tries = []

    def flaky(self, fail_silently=False):
        tries.append(1)
        if len(tries) == 1:
            raise ConnectionRefusedError
        return real(self, fail_silently=fail_silently)

    monkeypatch.setattr(EmailMessage, "send", flaky)
    with django_capture_on_commit_callbacks(execute=True):
        job = queue_mail(subject="s", body="b", to=["a@example.test"])
    job.refresh_from_db()
    assert (job.state, job.attempts, len(mail.outbox)) == (JobState.SUCCEEDED, 2, 1)


@pytest.mark.django_db
def test_finished_system_jobs_are_kept_for_their_retention_period_only(django_capture_on_commit_callbacks):
    import datetime as dt

    from django.utils import timezone

    from sentra.core.retention import apply_retention, retention_days

    with django_capture_on_commit_callbacks(execute=True):
        old = queue_mail(subject="lama", body="alamat dan isi", to=["a@example.test"])
        recent = queue_mail(subject="baru", body="isi", to=["b@example.test"])
    days = retention_days("system_jobs")
    Job.objects.filter(pk=old.pk).update(finished_at=timezone.now() - dt.timedelta(days=days + 1))
    running = Job.objects.create(user=None, kind="email", title="jalan", state=JobState.RUNNING)
    apply_retention(only=["system_jobs"])
    assert set(Job.objects.values_list("pk", flat=True)) == {recent.pk, running.pk}
