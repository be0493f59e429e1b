/** Does a namespace's set of NetworkPolicies isolate the sandbox pods? */
import { expect } from 'chai';
import type { V1NetworkPolicy } from '@kubernetes/client-node';
import { evaluateIsolation, selects } from '../../src/executors/kubernetes/networkPolicy.ts';

const labels = { 'app.kubernetes.io/name': 'code-execution-sandbox', 'learnflow.io/execution-id': 'exec-1' };
const policy = (name: string, spec: V1NetworkPolicy['spec']): V1NetworkPolicy => ({ metadata: { name }, spec });
const denyAll = (name = 'deny', podSelector = {}): V1NetworkPolicy => policy(name, { podSelector, policyTypes: ['Ingress', 'Egress'] });

describe('unit: NetworkPolicy isolation of the sandbox pods', () => {
  describe('selects', () => {
    it('empty selects all; matchLabels must all match', () => {
      expect(selects({}, labels)).to.equal(true);
      expect(selects({ matchLabels: { 'app.kubernetes.io/name': 'code-execution-sandbox' } }, labels)).to.equal(true);
      expect(selects({ matchLabels: { 'app.kubernetes.io/name': 'other' } }, labels)).to.equal(false);
      expect(selects({ matchLabels: { missing: 'x' } }, labels)).to.equal(false);
      expect(selects(undefined, labels)).to.equal(false);
    });

    it('matchExpressions: In, NotIn, Exists, DoesNotExist', () => {
      expect(selects({ matchExpressions: [{ key: 'app.kubernetes.io/name', operator: 'In', values: ['a', 'code-execution-sandbox'] }] }, labels)).to.equal(true);
      expect(selects({ matchExpressions: [{ key: 'app.kubernetes.io/name', operator: 'NotIn', values: ['code-execution-sandbox'] }] }, labels)).to.equal(false);
      expect(selects({ matchExpressions: [{ key: 'learnflow.io/execution-id', operator: 'Exists' }] }, labels)).to.equal(true);
      expect(selects({ matchExpressions: [{ key: 'learnflow.io/execution-id', operator: 'DoesNotExist' }] }, labels)).to.equal(false);
      expect(selects({ matchExpressions: [{ key: 'x', operator: 'Bogus' }] }, labels)).to.equal(false);
    });
  });

  describe('evaluateIsolation', () => {
    it('isolated by a deny-all policy that selects the pods', () => {
      expect(evaluateIsolation([denyAll('deny', { matchLabels: { 'app.kubernetes.io/name': 'code-execution-sandbox' } })], labels, 'ns')).to.deep.equal({
        isolated: true,
        reason: 'NetworkPolicy deny denies all traffic of the sandbox pods',
      });
    });

    it('not isolated without policies, or with policies that do not select the pods, or deny one direction only', () => {
      const missing = 'no NetworkPolicy in namespace ns selects the sandbox pods and denies all ingress and egress (policyTypes Ingress and Egress, no rules)';
      expect(evaluateIsolation([], labels, 'ns')).to.deep.equal({ isolated: false, reason: missing });
      expect(evaluateIsolation([denyAll('web', { matchLabels: { app: 'web' } })], labels, 'ns').isolated).to.equal(false);
      expect(evaluateIsolation([policy('in', { podSelector: {}, policyTypes: ['Ingress'] })], labels, 'ns').isolated).to.equal(false);
    });

    it('not isolated when any selecting policy adds a rule (policies are additive)', () => {
      const opener = policy('allow-dns', { podSelector: {}, policyTypes: ['Egress'], egress: [{ ports: [{ port: 53 }] }] });
      expect(evaluateIsolation([denyAll(), opener], labels, 'ns')).to.deep.equal({
        isolated: false,
        reason: 'NetworkPolicy allow-dns in namespace ns allows traffic to or from the sandbox pods',
      });
      const ingress = policy('allow-in', { podSelector: {}, policyTypes: ['Ingress', 'Egress'], ingress: [{}] });
      expect(evaluateIsolation([ingress], labels, 'ns').isolated).to.equal(false);
    });

    it('ignores rules of policies that select other pods', () => {
      const other = policy('web', { podSelector: { matchLabels: { app: 'web' } }, policyTypes: ['Ingress'], ingress: [{}] });
      expect(evaluateIsolation([denyAll(), other], labels, 'ns').isolated).to.equal(true);
    });
  });
});
