"""The one reader of the spec."""
