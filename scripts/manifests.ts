/**
 * `make manifests`: writes manifests/code-execution-service.yaml, the plain YAML equivalent of the
 * chart with its default values. `--check` only compares and exits 1 on drift.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { relative } from 'node:path';
import { MANIFEST_FILE, REPO_ROOT, renderManifestFile } from './lib/chart.ts';

const rendered = renderManifestFile();
const name = relative(REPO_ROOT, MANIFEST_FILE);
if (process.argv.includes('--check')) {
  let current = '';
  try {
    current = readFileSync(MANIFEST_FILE, 'utf8');
  } catch {
    // a missing file is drift too
  }
  if (current !== rendered) {
    console.error(`${name} differs from the chart: run make manifests`);
    process.exit(1);
  }
  console.log(`${name} matches the chart`);
} else {
  writeFileSync(MANIFEST_FILE, rendered);
  console.log(`wrote ${name}`);
}
