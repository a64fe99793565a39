"""A runnable reference implementation of the event groups contract: it serves the operations of
the bundled spec with every documented and assumed semantic, so clients and the conformance
harness have a correct server to run against."""
