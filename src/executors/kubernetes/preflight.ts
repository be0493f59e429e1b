/**
 * Fail closed: code runs only in a namespace whose NetworkPolicies isolate the sandbox pods, and
 * only with credentials that may make every call the executor needs (SelfSubjectAccessReview per
 * REQUIRED_PERMISSIONS entry). Checked at start-up and, cached briefly, by /ready and run().
 */
import type { Settings } from '../../config/settings.ts';
import type { Logger } from '../../telemetry/logger.ts';
import { apiErrorMessage, callApi, type KubeClients } from './kubeApi.ts';
import { EXECUTION_ID_LABEL, SANDBOX_POD_LABELS } from './labels.ts';
import { evaluateIsolation } from './networkPolicy.ts';
import { accessChecks, describeAccessCheck, type AccessCheck } from './permissions.ts';

/** The outcome of one preflight. */
export interface PreflightReport {
  readonly ready: boolean;
  /** Everything that is missing, or a summary of what was checked. */
  readonly reason: string;
  readonly networkPolicy: string;
  readonly permissions: string;
}

/** The inputs of a preflight. */
export interface PreflightContext {
  readonly clients: KubeClients;
  readonly settings: Pick<Settings, 'k8sNamespace' | 'k8sSkipNetworkPolicyCheck'>;
  readonly logger: Logger;
  /** Ends the checks early (shutdown); each call is also bounded by the per-call timeout. */
  readonly stop?: AbortSignal;
}

/** Runs both checks; never throws (an unreachable or silent API server is a reason, not an error). */
export async function runPreflight(context: PreflightContext): Promise<PreflightReport> {
  const [network, access] = await Promise.all([checkNetworkPolicy(context), checkPermissions(context)]);
  const problems = [network, access].filter((check) => !check.ok).map((check) => check.text);
  return {
    ready: problems.length === 0,
    reason: problems.length === 0 ? `Jobs run in namespace ${context.settings.k8sNamespace}` : problems.join('; '),
    networkPolicy: network.text,
    permissions: access.text,
  };
}

interface Check {
  readonly ok: boolean;
  readonly text: string;
}

async function checkNetworkPolicy({ clients, settings, stop }: PreflightContext): Promise<Check> {
  if (settings.k8sSkipNetworkPolicyCheck) return { ok: true, text: 'not checked (K8S_SKIP_NETWORK_POLICY_CHECK)' };
  try {
    const list = await callApi(clients, stop, (options) => clients.networking.listNamespacedNetworkPolicy({ namespace: settings.k8sNamespace }, options));
    const podLabels = { ...SANDBOX_POD_LABELS, [EXECUTION_ID_LABEL]: 'preflight' };
    const verdict = evaluateIsolation(list.items, podLabels, settings.k8sNamespace);
    return { ok: verdict.isolated, text: verdict.reason };
  } catch (error) {
    return { ok: false, text: `cannot list NetworkPolicies in namespace ${settings.k8sNamespace}: ${apiErrorMessage(error)}` };
  }
}

async function checkPermissions({ clients, settings, stop }: PreflightContext): Promise<Check> {
  try {
    const checks = accessChecks();
    const allowed = await Promise.all(checks.map((check) => isAllowed({ clients, stop }, settings.k8sNamespace, check)));
    const missing = checks.filter((_check, index) => !allowed[index]).map(describeAccessCheck);
    if (missing.length > 0) {
      return { ok: false, text: `the service account may not ${missing.join(', ')} in namespace ${settings.k8sNamespace}` };
    }
    return { ok: true, text: `all ${checks.length} required permissions granted` };
  } catch (error) {
    return { ok: false, text: `cannot check permissions (SelfSubjectAccessReview): ${apiErrorMessage(error)}` };
  }
}

async function isAllowed({ clients, stop }: Pick<PreflightContext, 'clients' | 'stop'>, namespace: string, check: AccessCheck): Promise<boolean> {
  const body = {
    apiVersion: 'authorization.k8s.io/v1',
    kind: 'SelfSubjectAccessReview',
    spec: {
      resourceAttributes: {
        namespace,
        verb: check.verb,
        group: check.group,
        resource: check.resource,
        ...(check.subresource === '' ? {} : { subresource: check.subresource }),
      },
    },
  };
  const review = await callApi(clients, stop, (options) => clients.authorization.createSelfSubjectAccessReview({ body }, options));
  return review.status?.allowed === true;
}
