/** `helm lint` of the chart with its default, non-default and lab values. */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect } from 'chai';
import { CHART_DIR, runHelm } from '../../scripts/lib/chart.ts';
import { LAB_VALUES_FILE, NON_DEFAULT_VALUES } from '../support/chart/fixtures.ts';

describe('chart: helm lint', () => {
  let dir: string;
  before(() => {
    dir = mkdtempSync(join(tmpdir(), 'chart-lint-'));
    writeFileSync(join(dir, 'non-default.json'), JSON.stringify(NON_DEFAULT_VALUES));
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  const cases: Record<string, () => string[]> = {
    'default values': () => [],
    'non-default values': () => ['--values', join(dir, 'non-default.json')],
    'lab values': () => ['--values', LAB_VALUES_FILE],
  };
  for (const [name, extraArgs] of Object.entries(cases)) {
    it(`passes with ${name}, warnings included (--strict)`, () => {
      const result = runHelm(['lint', '--strict', '--namespace', 'learnflow', CHART_DIR, ...extraArgs()]);
      expect(result.stdout + result.stderr).to.include('1 chart(s) linted, 0 chart(s) failed');
      expect(result.status).to.equal(0);
    });
  }

  it('fails on values that break the schema', () => {
    const result = runHelm(['lint', '--namespace', 'learnflow', CHART_DIR, '--set', 'replicaCount=-1']);
    expect(result.status).to.equal(1);
    expect(result.stdout + result.stderr).to.include('/replicaCount');
  });
});
