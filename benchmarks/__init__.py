"""`make bench`: how fast the pipeline, the reference server, the conformance harness and the
generated client are, each beside a peer (the tools alone, Prism's mock server, raw httpx).
Benchmarks, not tests: they never fail CI. The numbers tell users what to expect and us where
the time goes; the latest run is committed in benchmarks/results/ and shown in
docs/benchmarks.md."""
