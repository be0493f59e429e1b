/**
 * Which cluster the e2e suite and the lab benchmark run against, from the variables that
 * ../shared/k8slab/examples/e2e-env.sh prints (KUBECONFIG, E2E_NAMESPACE, E2E_RUNNER_IMAGE,
 * E2E_IMAGE_PULL_POLICY). The one place the e2e code reads the environment.
 */

/** A configured cluster. */
export interface E2eTarget {
  readonly kubeconfig: string;
  readonly namespace: string;
  /** The sandbox image built from src/runner/Dockerfile (make image-runner). */
  readonly runnerImage: string;
  readonly imagePullPolicy: 'Always' | 'IfNotPresent' | 'Never';
}

/** The lab's runner image as `make image-runner` names it. */
export const LAB_RUNNER_IMAGE = 'k8slab.local/learnflow-runner:dev';

const PULL_POLICIES = ['Always', 'IfNotPresent', 'Never'] as const;

/**
 * The configured cluster, or why there is none. Only a missing KUBECONFIG means "no cluster":
 * anything else that is wrong with the cluster must fail the suite, not skip it.
 */
export function e2eTarget(env: NodeJS.ProcessEnv = process.env): { target: E2eTarget } | { skipReason: string } {
  const kubeconfig = env.KUBECONFIG ?? '';
  if (kubeconfig === '') {
    return {
      skipReason:
        'KUBECONFIG is not set, so no cluster is configured. On the lab: make lab-up, then ' +
        'eval "$(RUNNER_IMAGE=k8slab.local/learnflow-runner:dev bash ../shared/k8slab/examples/e2e-env.sh)"',
    };
  }
  const policy = env.E2E_IMAGE_PULL_POLICY || 'Never';
  if (!(PULL_POLICIES as readonly string[]).includes(policy)) throw new Error(`E2E_IMAGE_PULL_POLICY must be one of ${PULL_POLICIES.join(', ')}`);
  return {
    target: {
      kubeconfig,
      namespace: env.E2E_NAMESPACE || 'learnflow',
      runnerImage: env.E2E_RUNNER_IMAGE || LAB_RUNNER_IMAGE,
      imagePullPolicy: policy as E2eTarget['imagePullPolicy'],
    },
  };
}
