"""Tests of the benchmark helpers (the benchmarks themselves are not tests)."""
