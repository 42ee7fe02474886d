"""Benchmarks of customer_crm: see bench/README.md."""
