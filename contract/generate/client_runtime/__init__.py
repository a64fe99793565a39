"""Handwritten runtime of the generated client. `make generate` copies runtime.py into the
package as `_runtime.py`; it knows nothing of the spec, so it serves any operation."""
