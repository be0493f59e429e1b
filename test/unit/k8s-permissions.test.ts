/** The executor's RBAC needs and its labels: what the chart's Role and NetworkPolicy are built from. */
import { expect } from 'chai';
import { REQUIRED_PERMISSIONS, accessChecks, describeAccessCheck } from '../../src/executors/kubernetes/permissions.ts';
import { executionSelector, outcomeLabelValue, sandboxSelector } from '../../src/executors/kubernetes/labels.ts';

describe('unit: Kubernetes permissions and labels', () => {
  it('REQUIRED_PERMISSIONS holds these verbs per resource (k8s-executor-results checks the calls made against it)', () => {
    expect(REQUIRED_PERMISSIONS.map((p) => `${p.apiGroup}/${p.resource}: ${p.verbs.join(',')}`)).to.deep.equal([
      'batch/jobs: create,get,list,delete,patch',
      '/pods: list,watch',
      '/pods/log: get',
      '/events: list',
      'networking.k8s.io/networkpolicies: list',
    ]);
  });

  it('becomes one SelfSubjectAccessReview per verb, subresources split', () => {
    const checks = accessChecks();
    expect(checks).to.have.length(10);
    expect(checks).to.deep.include({ group: '', resource: 'pods', subresource: 'log', verb: 'get' });
    expect(checks.map(describeAccessCheck)).to.deep.equal([
      'create jobs.batch', 'get jobs.batch', 'list jobs.batch', 'delete jobs.batch', 'patch jobs.batch',
      'list pods', 'watch pods', 'get pods/log', 'list events', 'list networkpolicies.networking.k8s.io',
    ]);
  });

  it('selectors and outcome values', () => {
    expect(sandboxSelector()).to.equal(
      'app.kubernetes.io/name=code-execution-sandbox,app.kubernetes.io/component=sandbox,app.kubernetes.io/part-of=learnflow,app.kubernetes.io/managed-by=code-execution-service',
    );
    expect(executionSelector('exec-1')).to.equal(`${sandboxSelector()},learnflow.io/execution-id=exec-1`);
    expect(['ok', 'error', 'timeout', 'memory', 'output_limit'].map((s) => outcomeLabelValue(s as 'ok'))).to.deep.equal(['ok', 'error', 'timeout', 'memory', 'output-limit']);
  });
});
