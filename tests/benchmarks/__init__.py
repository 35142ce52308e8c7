"""Benchmarks: run with `python -m tests.benchmarks.run`; never collected as tests."""
