"""The contract's tools, as a library that knows nothing of argv (scripts/ holds the command
lines): `spec` reads the spec and its behaviour declarations; `lint` checks it; `generate`
bundles it and generates the models and the client; `docs` builds the HTML reference;
`breaking` classifies changes between two versions; `conformance` tests a live server against
it. `errors` is the one exception tree, `layout` says where things are."""
