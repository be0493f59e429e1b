/**
 * The sandbox Job, field by field; its validation against the Kubernetes OpenAPI schema
 * (kubernetes-models); the restricted profile on its pod; and only fields Kubernetes 1.20 knows.
 */
import { expect } from 'chai';
import { Job } from 'kubernetes-models/batch/v1/Job';
import { loadSettings, type Settings } from '../../src/config/settings.ts';
import type { ExecutionRequest } from '../../src/execution/types.ts';
import {
  RUNNER_CONTAINER,
  TERMINATION_LOG_PATH,
  activeDeadlineSeconds,
  buildSandboxJob,
  jobNameFor,
} from '../../src/executors/kubernetes/jobSpec.ts';
import { EXECUTION_ID_LABEL, SANDBOX_POD_LABELS } from '../../src/executors/kubernetes/labels.ts';
import { checkRestrictedProfile } from '../../src/executors/kubernetes/restrictedProfile.ts';

const NOW = new Date('2025-01-02T03:04:05.678Z');
const request: ExecutionRequest = {
  id: 'exec-0123456789abcdef01234567',
  name: 'my request',
  code: "print('Hello, World!')\n",
  stdin: 'Ada\n',
  timeoutSeconds: 2.5,
};

function settings(env: Record<string, string> = {}): Settings {
  return loadSettings({ EXECUTOR: 'kubernetes', ...env });
}

describe('unit: the sandbox Job spec', () => {
  const job = buildSandboxJob(request, settings(), NOW);
  const pod = job.spec?.template.spec;
  const container = pod?.containers[0];

  describe('the Job', () => {
    it('is a batch/v1 Job named after the execution id, in the configured namespace', () => {
      expect(job.apiVersion).to.equal('batch/v1');
      expect(job.kind).to.equal('Job');
      expect(job.metadata?.name).to.equal(request.id);
      expect(job.metadata?.namespace).to.equal('learnflow');
      expect(buildSandboxJob(request, settings({ K8S_NAMESPACE: 'sandboxes' }), NOW).metadata?.namespace).to.equal('sandboxes');
    });

    it('carries the app.kubernetes.io labels and the execution id, on the Job and its pod template', () => {
      const labels = {
        'app.kubernetes.io/name': 'code-execution-sandbox',
        'app.kubernetes.io/component': 'sandbox',
        'app.kubernetes.io/part-of': 'learnflow',
        'app.kubernetes.io/managed-by': 'code-execution-service',
        'learnflow.io/execution-id': request.id,
      };
      expect(job.metadata?.labels).to.deep.equal(labels);
      expect(job.spec?.template.metadata?.labels).to.deep.equal(labels);
      expect({ ...SANDBOX_POD_LABELS, [EXECUTION_ID_LABEL]: request.id }).to.deep.equal(labels);
    });

    it('is annotated with the request name, the timeout and the creation time', () => {
      expect(job.metadata?.annotations).to.deep.equal({
        'learnflow.io/request-name': 'my request',
        'learnflow.io/timeout-seconds': '2.5',
        'learnflow.io/created-at': '2025-01-02T03:04:05.678Z',
      });
      const long = buildSandboxJob({ ...request, name: 'n'.repeat(5000) }, settings(), NOW);
      expect(long.metadata?.annotations?.['learnflow.io/request-name']).to.have.length(256);
    });

    it('never retries, has a deadline of ceil(timeout) + the start-up allowance, and a TTL', () => {
      expect(job.spec?.backoffLimit).to.equal(0);
      expect(job.spec?.activeDeadlineSeconds).to.equal(3 + 30);
      expect(job.spec?.ttlSecondsAfterFinished).to.equal(300);
      const tuned = buildSandboxJob(request, settings({ K8S_STARTUP_ALLOWANCE_SECONDS: '10', K8S_TTL_SECONDS_AFTER_FINISHED: '60' }), NOW);
      expect(tuned.spec?.activeDeadlineSeconds).to.equal(13);
      expect(tuned.spec?.ttlSecondsAfterFinished).to.equal(60);
      expect(activeDeadlineSeconds(5, { k8sStartupAllowanceSeconds: 30 })).to.equal(35);
      expect(activeDeadlineSeconds(0.1, { k8sStartupAllowanceSeconds: 1 })).to.equal(2);
    });

    it('sets no selector (Kubernetes generates it) and no field newer than Kubernetes 1.20', () => {
      expect(job.spec?.selector).to.equal(undefined);
      expect(job.spec?.manualSelector).to.equal(undefined);
      const newer = ['suspend', 'completionMode', 'podFailurePolicy', 'backoffLimitPerIndex', 'maxFailedIndexes', 'podReplacementPolicy', 'successPolicy', 'managedBy'];
      const newerPod = ['os', 'hostUsers', 'schedulingGates', 'resourceClaims', 'appArmorProfile', 'supplementalGroupsPolicy', 'seLinuxChangePolicy', 'hostnameOverride', 'resizePolicy', 'restartPolicyRules'];
      const keys = allKeys(JSON.parse(JSON.stringify(job)) as unknown);
      expect(keys.filter((key) => newer.includes(key) || newerPod.includes(key))).to.deep.equal([]);
    });
  });

  describe('the pod', () => {
    it('never restarts, mounts no token, uses the sandbox service account, no service links, no host namespaces', () => {
      expect(pod?.restartPolicy).to.equal('Never');
      expect(pod?.automountServiceAccountToken).to.equal(false);
      expect(pod?.serviceAccountName).to.equal('code-execution-sandbox');
      expect(pod?.enableServiceLinks).to.equal(false);
      expect([pod?.hostNetwork, pod?.hostPID, pod?.hostIPC]).to.deep.equal([false, false, false]);
      expect(pod?.volumes).to.equal(undefined);
    });

    it('runs as non-root 65532 with the RuntimeDefault seccomp profile', () => {
      expect(pod?.securityContext).to.deep.equal({ runAsNonRoot: true, runAsUser: 65532, runAsGroup: 65532, seccompProfile: { type: 'RuntimeDefault' } });
    });

    it('has a short termination grace period (learner code may ignore SIGTERM)', () => {
      expect(pod?.terminationGracePeriodSeconds).to.equal(1);
      expect(buildSandboxJob(request, settings({ K8S_TERMINATION_GRACE_SECONDS: '3' }), NOW).spec?.template.spec?.terminationGracePeriodSeconds).to.equal(3);
    });

    it('leaves runtimeClassName, priorityClassName, nodeSelector and tolerations out by default', () => {
      for (const field of ['runtimeClassName', 'priorityClassName', 'nodeSelector', 'tolerations'] as const) expect(pod?.[field], field).to.equal(undefined);
    });

    it('sets them from the configuration', () => {
      const configured = buildSandboxJob(
        request,
        settings({
          K8S_RUNTIME_CLASS_NAME: 'gvisor',
          K8S_PRIORITY_CLASS_NAME: 'sandbox-low',
          K8S_NODE_SELECTOR: '{"pool":"sandbox"}',
          K8S_TOLERATIONS: '[{"key":"sandbox","operator":"Exists","effect":"NoSchedule"}]',
        }),
        NOW,
      ).spec?.template.spec;
      expect(configured?.runtimeClassName).to.equal('gvisor');
      expect(configured?.priorityClassName).to.equal('sandbox-low');
      expect(configured?.nodeSelector).to.deep.equal({ pool: 'sandbox' });
      expect(configured?.tolerations).to.deep.equal([{ key: 'sandbox', operator: 'Exists', effect: 'NoSchedule' }]);
    });
  });

  describe('the container', () => {
    it('runs the configured image, with the configured pull policy, the runner reading its request from the environment', () => {
      expect(pod?.containers).to.have.length(1);
      expect(container?.name).to.equal(RUNNER_CONTAINER);
      expect(container?.image).to.equal('learnflow/code-execution-runner:latest');
      expect(container?.imagePullPolicy).to.equal('IfNotPresent');
      expect(container?.command).to.equal(undefined);
      expect(container?.args).to.deep.equal(['--request-env', '--termination-log', '/dev/termination-log']);
      const lab = buildSandboxJob(request, settings({ K8S_RUNNER_IMAGE: 'k8slab.local/learnflow-runner:dev', K8S_IMAGE_PULL_POLICY: 'Never' }), NOW);
      expect(lab.spec?.template.spec?.containers[0]).to.deep.include({ image: 'k8slab.local/learnflow-runner:dev', imagePullPolicy: 'Never' });
    });

    it('passes the code and stdin in base64, and the limits, in RUNNER_* variables', () => {
      expect(container?.env).to.deep.equal([
        { name: 'RUNNER_CODE_B64', value: Buffer.from(request.code).toString('base64') },
        { name: 'RUNNER_STDIN_B64', value: Buffer.from('Ada\n').toString('base64') },
        { name: 'RUNNER_TIMEOUT_SECONDS', value: '2.5' },
        { name: 'RUNNER_MEMORY_BYTES', value: String(128 * 1024 * 1024) },
        { name: 'RUNNER_OUTPUT_BYTES', value: String(1024 * 1024) },
      ]);
      const unicode = buildSandboxJob({ ...request, code: 'print("héllo ✓")' }, settings(), NOW).spec?.template.spec?.containers[0]?.env?.[0]?.value ?? '';
      expect(Buffer.from(unicode, 'base64').toString('utf8')).to.equal('print("héllo ✓")');
    });

    it('keeps a 64 KiB program under the 128 KiB per-string exec limit', () => {
      const big = buildSandboxJob({ ...request, code: 'x'.repeat(64 * 1024), stdin: 'y'.repeat(64 * 1024) }, settings(), NOW);
      for (const variable of big.spec?.template.spec?.containers[0]?.env ?? []) {
        expect(Buffer.byteLength(`${variable.name}=${variable.value}`), variable.name).to.be.below(128 * 1024);
      }
    });

    it('is locked down: no privilege escalation, not privileged, read-only root, all capabilities dropped', () => {
      expect(container?.securityContext).to.deep.equal({
        allowPrivilegeEscalation: false,
        privileged: false,
        readOnlyRootFilesystem: true,
        runAsNonRoot: true,
        capabilities: { drop: ['ALL'] },
      });
    });

    it('is limited to 128Mi and the configured CPU, requests equal to limits', () => {
      expect(container?.resources).to.deep.equal({ limits: { cpu: '500m', memory: '128Mi' }, requests: { cpu: '500m', memory: '128Mi' } });
      const tuned = buildSandboxJob(request, settings({ K8S_CPU_LIMIT: '250m' }), NOW).spec?.template.spec?.containers[0]?.resources;
      expect(tuned).to.deep.equal({ limits: { cpu: '250m', memory: '128Mi' }, requests: { cpu: '250m', memory: '128Mi' } });
    });

    it('leaves its result in the termination message file', () => {
      expect(container?.terminationMessagePath).to.equal(TERMINATION_LOG_PATH);
      expect(container?.terminationMessagePolicy).to.equal('File');
      expect(container?.volumeMounts).to.equal(undefined);
    });
  });

  describe('names', () => {
    it('uses a DNS-1123 label id of at most 63 characters as the Job name', () => {
      expect(jobNameFor('exec-abc')).to.equal('exec-abc');
      expect(jobNameFor('a'.repeat(63))).to.equal('a'.repeat(63));
    });

    it('refuses ids that cannot name a Job', () => {
      for (const id of ['', 'Exec-ABC', 'exec_abc', '-exec', 'exec-', 'a'.repeat(64), 'exec.abc']) {
        expect(() => jobNameFor(id), id).to.throw(/cannot name a Job/);
      }
    });
  });

  describe('against the rules', () => {
    it('validates against the Kubernetes OpenAPI schema (kubernetes-models)', () => {
      const plain = JSON.parse(JSON.stringify(job)) as ConstructorParameters<typeof Job>[0];
      expect(() => new Job(plain).validate()).to.not.throw();
      const configured = buildSandboxJob(request, settings({ K8S_RUNTIME_CLASS_NAME: 'gvisor', K8S_TOLERATIONS: '[{"key":"a","operator":"Exists"}]', K8S_NODE_SELECTOR: '{"a":"b"}' }), NOW);
      expect(() => new Job(JSON.parse(JSON.stringify(configured)) as ConstructorParameters<typeof Job>[0]).validate()).to.not.throw();
    });

    it('the schema check catches a broken Job (it can fail)', () => {
      const broken = JSON.parse(JSON.stringify(job)) as { spec: { backoffLimit: unknown } };
      broken.spec.backoffLimit = 'none';
      expect(() => new Job(broken as ConstructorParameters<typeof Job>[0]).validate()).to.throw(/backoffLimit must be integer/);
    });

    it('its pod satisfies every rule of the restricted Pod Security Standard', () => {
      expect(checkRestrictedProfile(pod ?? { containers: [] }, job.spec?.template.metadata?.annotations ?? {})).to.deep.equal([]);
    });
  });
});

/** Every object key in a JSON value, recursively (label keys included). */
function allKeys(value: unknown): string[] {
  if (Array.isArray(value)) return value.flatMap(allKeys);
  if (typeof value !== 'object' || value === null) return [];
  return Object.entries(value).flatMap(([key, child]) => [key, ...allKeys(child)]);
}
