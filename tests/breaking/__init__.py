"""Tests of breaking-change detection."""
