/** manifests/: the checked-in plain YAML equals the chart's default rendering; the namespace is restricted. */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect } from 'chai';
import { MANIFEST_FILE, MANIFESTS_DIR, parseManifests, renderManifestFile } from '../../scripts/lib/chart.ts';
import { validateAgainstOpenApi } from '../support/chart/validate.ts';

describe('manifests/', () => {
  it('holds exactly what `make manifests` renders from the chart (no drift)', () => {
    const checkedIn = readFileSync(MANIFEST_FILE, 'utf8');
    // One assertion on the whole text: the diff names the drifted lines. Fix: make manifests.
    expect(checkedIn).to.equal(renderManifestFile());
  });

  it('leaves the helm test pod out of the plain manifests', () => {
    const kinds = parseManifests(readFileSync(MANIFEST_FILE, 'utf8')).map((o) => o.kind);
    expect(kinds).to.not.include('Pod');
    expect(kinds).to.include.members(['Deployment', 'Service', 'Ingress', 'Role', 'RoleBinding', 'NetworkPolicy', 'ServiceAccount', 'PodDisruptionBudget']);
  });

  it('declares the learnflow namespace with the restricted Pod Security labels', () => {
    const [namespace, ...rest] = parseManifests(readFileSync(join(MANIFESTS_DIR, 'namespace.yaml'), 'utf8'));
    expect(rest).to.deep.equal([]);
    expect(namespace?.kind).to.equal('Namespace');
    expect(namespace?.metadata.name).to.equal('learnflow');
    expect(namespace?.metadata.labels).to.include({
      'pod-security.kubernetes.io/enforce': 'restricted',
      'pod-security.kubernetes.io/audit': 'restricted',
      'pod-security.kubernetes.io/warn': 'restricted',
    });
    expect(validateAgainstOpenApi(namespace!)).to.deep.equal([]);
  });
});
