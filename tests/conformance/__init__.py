"""Tests of the conformance harness, mostly against servers that break a rule."""
