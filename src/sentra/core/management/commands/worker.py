from __future__ import annotations

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand


class Command(BaseCommand):
    help = "Menjalankan pekerja tugas latar (basis data secara bawaan, atau RQ/Redis bila dipilih)."

    def add_arguments(self, parser):
        parser.add_argument("--queue-name", default="default")
        parser.add_argument("--max-tasks", type=int, default=None)

    def handle(self, *args, **options):
        backend = settings.TASKS["default"]["BACKEND"]
        if backend.startswith("django_tasks_rq"):
            call_command("rqworker", options["queue_name"], with_scheduler=False)
            return
        extra = ["--max-tasks", str(options["max_tasks"])] if options["max_tasks"] else []
        call_command("db_worker", "--queue-name", options["queue_name"], *extra)
