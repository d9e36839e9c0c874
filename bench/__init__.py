"""Sentra's benchmarks: ``make bench`` (``python -m bench.run``) runs them and writes var/bench/results.json.

See bench/README.md for how to add a measurement.
"""
