"""Tests of the HTML reference."""
