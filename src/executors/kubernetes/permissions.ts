/**
 * Every API call the Kubernetes executor makes, as RBAC rules. Preflight checks each verb with a
 * SelfSubjectAccessReview, and the chart's test compares its Role against this list, so the Role
 * grants exactly what the code calls.
 */

/** One RBAC rule: a resource (with its subresource, as a Role writes it) and the verbs used on it. */
export interface RequiredPermission {
  /** '' for the core group. */
  readonly apiGroup: string;
  /** `pods`, or `pods/log` for a subresource (the Role's spelling). */
  readonly resource: string;
  readonly verbs: readonly string[];
  /** Why the executor needs it. */
  readonly why: string;
}

/** What the executor calls, in the namespace of the Jobs. */
export const REQUIRED_PERMISSIONS: readonly RequiredPermission[] = Object.freeze([
  {
    apiGroup: 'batch',
    resource: 'jobs',
    verbs: ['create', 'get', 'list', 'delete', 'patch'],
    why: 'create one Job per execution, read it when its pod disappears, sweep old ones, delete on abort/shutdown, label its outcome',
  },
  { apiGroup: '', resource: 'pods', verbs: ['list', 'watch'], why: "follow the execution's pod by label (watch, re-list)" },
  { apiGroup: '', resource: 'pods/log', verbs: ['get'], why: "read the runner's output from the pod's log" },
  { apiGroup: '', resource: 'events', verbs: ['list'], why: 'name the cause when no pod could be created (quota)' },
  {
    apiGroup: 'networking.k8s.io',
    resource: 'networkpolicies',
    verbs: ['list'],
    why: 'fail closed without a deny-all NetworkPolicy for the sandbox pods',
  },
]);

/** One verb on one resource, as a SelfSubjectAccessReview asks it. */
export interface AccessCheck {
  readonly group: string;
  readonly resource: string;
  readonly subresource: string;
  readonly verb: string;
}

/** Flattens REQUIRED_PERMISSIONS into one access check per verb. */
export function accessChecks(permissions: readonly RequiredPermission[] = REQUIRED_PERMISSIONS): AccessCheck[] {
  return permissions.flatMap((permission) => {
    const [resource = '', subresource = ''] = permission.resource.split('/');
    return permission.verbs.map((verb) => ({ group: permission.apiGroup, resource, subresource, verb }));
  });
}

/** `create jobs.batch`, `get pods/log`: how a missing permission reads in /ready. */
export function describeAccessCheck(check: AccessCheck): string {
  const resource = check.subresource === '' ? check.resource : `${check.resource}/${check.subresource}`;
  return `${check.verb} ${resource}${check.group === '' ? '' : `.${check.group}`}`;
}
