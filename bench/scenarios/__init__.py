"""Benchmark scenarios: each module exposes ``SCENARIOS = [Scenario(...), ...]``."""
