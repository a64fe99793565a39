// Runs what `optic diff <base> <head> --check` runs (Optic's spec loader and its `compute`
// step, with the standard in optic-standard.yaml) on each pair of bundled specs that stdin
// lists as JSON, [{"base": path, "head": path}, ...], in one Node process, and prints one
// result per pair: {"results": [...], "groupedDiffs": {...}} (the two parts of the CLI's
// ci-run-details.json) or {"error": "..."}. One process for many pairs, because starting the
// Optic CLI takes a second, and comparing a pair a tenth of that. Optic's modules are
// internal, so package.json pins its exact version.
'use strict';

const path = require('node:path');
const { initializeConfig } = require('@useoptic/optic/build/config');
const { loadSpec } = require('@useoptic/optic/build/utils/spec-loaders');
const { compute } = require('@useoptic/optic/build/commands/diff/compute');

const STANDARD = path.join(__dirname, 'optic-standard.yaml');

async function comparePair(config, { base, head }) {
  const load = (file) => loadSpec(file, config, { strict: false, denormalize: true });
  const specs = await Promise.all([load(base), load(head)]);
  const { specResults, changelogData } = await compute(specs, config, {
    check: true,
    standard: STANDARD,
    severity: 'error',
    path: base,
  });
  return { results: specResults.results, groupedDiffs: changelogData };
}

async function main() {
  const chunks = [];
  for await (const chunk of process.stdin) chunks.push(chunk);
  const pairs = JSON.parse(Buffer.concat(chunks).toString('utf8'));
  const config = await initializeConfig();
  const out = [];
  for (const pair of pairs) {
    try {
      out.push(await comparePair(config, pair));
    } catch (error) {
      out.push({ error: String((error && error.message) || error) });
    }
  }
  process.stdout.write(JSON.stringify(out));
}

main().catch((error) => {
  process.stderr.write(`${(error && error.stack) || error}\n`);
  process.exit(1);
});
