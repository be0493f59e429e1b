/**
 * Values the chart tests render with, besides the defaults: a production install with every
 * optional part switched on, and the lab's values file.
 */
import { join } from 'node:path';
import { REPO_ROOT } from '../../../scripts/lib/chart.ts';

/** The lab-only values (hostNetwork, lab images): test/support/lab/values.yaml. */
export const LAB_VALUES_FILE = join(REPO_ROOT, 'test', 'support', 'lab', 'values.yaml');

/** Every optional object on, and settings that differ from the defaults. */
export const NON_DEFAULT_VALUES: Readonly<Record<string, unknown>> = Object.freeze({
  replicaCount: 3,
  image: { repository: 'registry.example/learnflow/code-execution-service', tag: '1.2.3', pullPolicy: 'Always' },
  runner: { image: { repository: 'registry.example/learnflow/code-execution-runner', tag: '1.2.3', pullPolicy: 'Always' } },
  imagePullSecrets: [{ name: 'registry-credentials' }],
  serviceAccount: { annotations: { 'eks.amazonaws.com/role-arn': 'arn:aws:iam::123456789012:role/none' } },
  podAnnotations: { 'prometheus.io/scrape': 'true', 'prometheus.io/port': '8000' },
  podLabels: { team: 'learnflow' },
  config: {
    logLevel: 'warn',
    maxConcurrentExecutions: 16,
    maxQueuedExecutions: 200,
    maxTimeoutSeconds: 20,
    k8sRuntimeClassName: 'gvisor',
    k8sPriorityClassName: 'sandbox-low',
    k8sNodeSelector: { 'learnflow.io/sandbox': 'true' },
    k8sTolerations: [{ key: 'sandbox', operator: 'Exists', effect: 'NoSchedule' }],
    k8sTtlSecondsAfterFinished: 600,
  },
  terminationGracePeriodSeconds: 90,
  ingress: {
    host: 'learnflow.example',
    annotations: { 'konghq.com/protocols': 'https' },
    tls: [{ secretName: 'learnflow-tls', hosts: ['learnflow.example'] }],
  },
  kong: {
    rateLimiting: { enabled: true, config: { minute: 30, hour: 500, policy: 'local', limit_by: 'ip' } },
    requestSizeLimiting: { enabled: true, config: { allowed_payload_size: 128, size_unit: 'kilobytes' } },
    extraPlugins: ['learnflow-cors'],
  },
  autoscaling: { enabled: true, minReplicas: 3, maxReplicas: 12, targetCPUUtilizationPercentage: 60 },
  networkPolicy: { enabled: true },
  nodeSelector: { 'kubernetes.io/os': 'linux' },
  tolerations: [{ key: 'learnflow', operator: 'Exists', effect: 'NoSchedule' }],
  affinity: {
    podAntiAffinity: {
      preferredDuringSchedulingIgnoredDuringExecution: [
        {
          weight: 100,
          podAffinityTerm: {
            topologyKey: 'kubernetes.io/hostname',
            labelSelector: { matchLabels: { 'app.kubernetes.io/name': 'code-execution-service' } },
          },
        },
      ],
    },
  },
  topologySpreadConstraints: [
    {
      maxSkew: 1,
      topologyKey: 'topology.kubernetes.io/zone',
      whenUnsatisfiable: 'ScheduleAnyway',
      labelSelector: { matchLabels: { 'app.kubernetes.io/name': 'code-execution-service' } },
    },
  ],
});
