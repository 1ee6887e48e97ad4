"""Benchmarks of the suite (not part of the installed package): ``python -m benches.bench``."""
