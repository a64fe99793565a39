"""Tests of the spec reader and the lint."""
