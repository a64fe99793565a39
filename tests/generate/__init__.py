"""Tests of generation: the bundle, the models and the client."""
