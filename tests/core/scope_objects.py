"""Scope providers for the job and import pages : a job belongs to its user alone."""

from sentra.core.testing import scope_provider
from tests.core.importing_helpers import draft_import_job, finished_job_with_files


@scope_provider("core:import_map", "core:import_preview")
def draft_import(world):
    return {"pk": draft_import_job(world.officer_a).pk}


@scope_provider("core:job_detail", "core:job_progress", "core:job_rerun")
def job(world):
    return {"pk": finished_job_with_files(world.officer_a).pk}


@scope_provider("core:job_download")
def job_download(world):
    return {"pk": finished_job_with_files(world.officer_a).pk, "which": "ditolak"}
