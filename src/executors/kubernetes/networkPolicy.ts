/**
 * Does the namespace isolate the sandbox pods? Pure evaluation of its NetworkPolicies against the
 * sandbox pods' labels. Policies are additive (a pod may talk wherever any policy that selects it
 * allows), so it takes one policy that selects the pods for both Ingress and Egress with no rules,
 * and no other selecting policy that adds a rule.
 */
import type { V1LabelSelector, V1NetworkPolicy } from '@kubernetes/client-node';

/** The verdict, with the reason shown in /ready. */
export interface IsolationVerdict {
  readonly isolated: boolean;
  readonly reason: string;
}

/** Evaluates the namespace's policies for pods carrying `podLabels`. */
export function evaluateIsolation(policies: readonly V1NetworkPolicy[], podLabels: Readonly<Record<string, string>>, namespace: string): IsolationVerdict {
  const selecting = policies.filter((policy) => selects(policy.spec?.podSelector, podLabels));
  const opening = selecting.filter((policy) => (policy.spec?.ingress?.length ?? 0) > 0 || (policy.spec?.egress?.length ?? 0) > 0);
  if (opening.length > 0) {
    return { isolated: false, reason: `NetworkPolicy ${names(opening)} in namespace ${namespace} allows traffic to or from the sandbox pods` };
  }
  const denyAll = selecting.find((policy) => {
    const types = policy.spec?.policyTypes ?? [];
    return types.includes('Ingress') && types.includes('Egress');
  });
  if (denyAll === undefined) {
    return {
      isolated: false,
      reason: `no NetworkPolicy in namespace ${namespace} selects the sandbox pods and denies all ingress and egress (policyTypes Ingress and Egress, no rules)`,
    };
  }
  return { isolated: true, reason: `NetworkPolicy ${denyAll.metadata?.name ?? '?'} denies all traffic of the sandbox pods` };
}

/** Label selector semantics (matchLabels and matchExpressions, ANDed; an empty selector selects all). */
export function selects(selector: V1LabelSelector | undefined, labels: Readonly<Record<string, string>>): boolean {
  if (selector === undefined) return false;
  for (const [key, value] of Object.entries(selector.matchLabels ?? {})) {
    if (labels[key] !== value) return false;
  }
  return (selector.matchExpressions ?? []).every((expression) => {
    const has = Object.hasOwn(labels, expression.key);
    const values = expression.values ?? [];
    switch (expression.operator) {
      case 'In':
        return has && values.includes(labels[expression.key] ?? '');
      case 'NotIn':
        return !has || !values.includes(labels[expression.key] ?? '');
      case 'Exists':
        return has;
      case 'DoesNotExist':
        return !has;
      default:
        return false;
    }
  });
}

function names(policies: readonly V1NetworkPolicy[]): string {
  return policies.map((policy) => policy.metadata?.name ?? '?').join(', ');
}
