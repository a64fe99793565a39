"""A runnable reference implementation of the contract: it serves every list resource the bundled
spec declares, and each list's detail operation, with every declared and assumed semantic, so
clients and the conformance harness have a correct server to run against."""
