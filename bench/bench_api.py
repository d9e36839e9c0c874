"""Registers bench/api.py with the runner (which imports ``bench_*`` modules)."""

from bench.api import api_business_list  # noqa: F401
