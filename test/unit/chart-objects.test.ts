/**
 * The chart's rendered objects: valid against the Kubernetes OpenAPI schema, restricted pods,
 * exactly the executor's permissions, the sandbox's deny-all policy, and the Kong route.
 */
import type { V1PodSpec } from '@kubernetes/client-node';
import { expect } from 'chai';
import { SANDBOX_POD_LABELS } from '../../src/executors/kubernetes/labels.ts';
import { REQUIRED_PERMISSIONS } from '../../src/executors/kubernetes/permissions.ts';
import { checkRestrictedProfile } from '../../src/executors/kubernetes/restrictedProfile.ts';
import { parseManifests, renderChart, tryRenderChart, type KubeObject, type RenderOptions } from '../../scripts/lib/chart.ts';
import { LAB_VALUES_FILE, NON_DEFAULT_VALUES } from '../support/chart/fixtures.ts';
import { checkKongPlugin, validateAgainstOpenApi } from '../support/chart/validate.ts';

const SCENARIOS: Readonly<Record<string, RenderOptions>> = {
  'default values': {},
  'non-default values': { values: NON_DEFAULT_VALUES, release: 'learnflow-exec', namespace: 'learnflow-prod' },
  'lab values': { valuesFiles: [LAB_VALUES_FILE] },
  'a Kubernetes 1.20 cluster (lab)': { valuesFiles: [LAB_VALUES_FILE], kubeVersion: '1.20.2', apiVersions: ['policy/v1beta1', 'autoscaling/v2beta2'] },
};

function render(options: RenderOptions): KubeObject[] {
  return parseManifests(renderChart(options));
}

function only(objects: readonly KubeObject[], kind: string, nameSuffix = ''): KubeObject {
  const found = objects.filter((o) => o.kind === kind && o.metadata.name.endsWith(nameSuffix));
  expect(found, `${kind} *${nameSuffix}`).to.have.length(1);
  return found[0] as KubeObject;
}

interface PodTemplate {
  metadata?: { labels?: Record<string, string>; annotations?: Record<string, string> };
  spec: V1PodSpec;
}

function deploymentPod(objects: readonly KubeObject[]): PodTemplate {
  return (only(objects, 'Deployment').spec as { template: PodTemplate }).template;
}

function testPod(objects: readonly KubeObject[]): PodTemplate {
  const pod = only(objects, 'Pod', '-test-hello-world');
  return { metadata: pod.metadata, spec: pod.spec as V1PodSpec };
}

/** `batch/jobs:create` for each verb of each rule. */
function permissionSet(rules: readonly { apiGroups: string[]; resources: string[]; verbs: string[] }[]): string[] {
  return rules
    .flatMap((rule) => rule.apiGroups.flatMap((group) => rule.resources.flatMap((resource) => rule.verbs.map((verb) => `${group}/${resource}:${verb}`))))
    .sort();
}

describe('chart: rendered objects', () => {
  for (const [scenario, options] of Object.entries(SCENARIOS)) {
    describe(`with ${scenario}`, () => {
      let objects: KubeObject[];
      before(() => {
        objects = render(options);
      });

      it('renders every object valid against the Kubernetes OpenAPI schema (and Kong CRD structure)', () => {
        expect(objects.length).to.be.greaterThan(8);
        const problems = objects.flatMap((o) => (o.kind === 'KongPlugin' ? checkKongPlugin(o) : validateAgainstOpenApi(o)));
        expect(problems).to.deep.equal([]);
      });

      it('puts every namespaced object into the release namespace', () => {
        const namespace = options.namespace ?? 'learnflow';
        expect(objects.filter((o) => o.metadata.namespace !== namespace).map((o) => `${o.kind}/${o.metadata.name}`)).to.deep.equal([]);
      });

      it('grants the service exactly the verbs the Kubernetes executor calls', () => {
        const role = only(objects, 'Role') as KubeObject & { rules: { apiGroups: string[]; resources: string[]; verbs: string[] }[] };
        const required = permissionSet(REQUIRED_PERMISSIONS.map((p) => ({ apiGroups: [p.apiGroup], resources: [p.resource], verbs: [...p.verbs] })));
        expect(permissionSet(role.rules)).to.deep.equal(required);
        const binding = only(objects, 'RoleBinding') as KubeObject & { roleRef: { name: string }; subjects: { kind: string; name: string }[] };
        const serviceAccount = deploymentPod(objects).spec.serviceAccountName;
        expect(binding.roleRef.name).to.equal(role.metadata.name);
        expect(binding.subjects).to.deep.equal([{ kind: 'ServiceAccount', name: serviceAccount, namespace: options.namespace ?? 'learnflow' }]);
      });

      it('denies all traffic of the sandbox pods with a NetworkPolicy that selects their labels', () => {
        const policy = only(objects, 'NetworkPolicy', '-sandbox-deny-all') as KubeObject & {
          spec: { podSelector: { matchLabels: Record<string, string> }; policyTypes: string[]; ingress?: unknown; egress?: unknown };
        };
        const selector = policy.spec.podSelector.matchLabels;
        expect(Object.keys(selector)).to.not.be.empty;
        for (const [key, value] of Object.entries(selector)) expect(SANDBOX_POD_LABELS[key], key).to.equal(value);
        expect(policy.spec.policyTypes).to.have.members(['Ingress', 'Egress']);
        expect(policy.spec.ingress).to.equal(undefined);
        expect(policy.spec.egress).to.equal(undefined);
      });

      it('gives the sandbox pods their own ServiceAccount without a token', () => {
        const env = Object.fromEntries((deploymentPod(objects).spec.containers[0]?.env ?? []).map((e) => [e.name, e.value]));
        const sandbox = objects.find((o) => o.kind === 'ServiceAccount' && o.metadata.name === env.K8S_SERVICE_ACCOUNT);
        expect(sandbox, `ServiceAccount ${env.K8S_SERVICE_ACCOUNT}`).to.not.equal(undefined);
        expect(sandbox?.automountServiceAccountToken).to.equal(false);
        expect(sandbox?.metadata.name).to.not.equal(deploymentPod(objects).spec.serviceAccountName);
      });

      it('routes /api/execute through Kong with strip-path', () => {
        const ingress = only(objects, 'Ingress') as KubeObject & {
          spec: { ingressClassName: string; rules: { http: { paths: { path: string; pathType: string; backend: { service: { name: string; port: { name: string } } } }[] } }[] };
        };
        expect(ingress.spec.ingressClassName).to.equal('kong');
        expect(ingress.metadata.annotations?.['konghq.com/strip-path']).to.equal('true');
        const paths = ingress.spec.rules.flatMap((rule) => rule.http.paths);
        const service = only(objects, 'Service');
        expect(paths).to.deep.equal([
          { path: '/api/execute', pathType: 'Prefix', backend: { service: { name: service.metadata.name, port: { name: 'http' } } } },
        ]);
      });

      it('serves port 80 of the Service from the container port the service listens on', () => {
        const service = only(objects, 'Service') as KubeObject & { spec: { ports: unknown[]; selector: Record<string, string> } };
        const pod = deploymentPod(objects);
        const container = pod.spec.containers[0];
        const port = container?.env?.find((e) => e.name === 'PORT')?.value;
        expect(service.spec.ports).to.deep.equal([{ port: 80, targetPort: 'http', protocol: 'TCP', name: 'http' }]);
        expect(container?.ports).to.deep.equal([{ name: 'http', containerPort: Number(port), protocol: 'TCP' }]);
        for (const [key, value] of Object.entries(service.spec.selector)) expect(pod.metadata?.labels?.[key]).to.equal(value);
      });

      it('never selects the helm test pod with the Service', () => {
        const service = only(objects, 'Service') as KubeObject & { spec: { selector: Record<string, string> } };
        const labels = testPod(objects).metadata?.labels ?? {};
        const selected = Object.entries(service.spec.selector).every(([key, value]) => labels[key] === value);
        expect(selected).to.equal(false);
      });

      it('probes /health for liveness and /ready for readiness', () => {
        const container = deploymentPod(objects).spec.containers[0];
        expect(container?.livenessProbe?.httpGet).to.deep.equal({ path: '/health', port: 'http' });
        expect(container?.readinessProbe?.httpGet).to.deep.equal({ path: '/ready', port: 'http' });
      });

      it('runs the service with a read-only root filesystem, resources and a non-root user', () => {
        const pod = deploymentPod(objects);
        const container = pod.spec.containers[0];
        expect(container?.securityContext?.readOnlyRootFilesystem).to.equal(true);
        expect(container?.resources?.limits?.memory).to.be.a('string');
        expect(container?.resources?.requests?.cpu).to.be.a('string');
        expect(pod.spec.securityContext?.runAsUser).to.equal(65532);
        expect(pod.spec.volumes).to.equal(undefined);
      });

      it('keeps a PodDisruptionBudget over the service pods', () => {
        const budget = only(objects, 'PodDisruptionBudget') as KubeObject & { spec: { minAvailable: number; selector: { matchLabels: Record<string, string> } } };
        const service = only(objects, 'Service') as KubeObject & { spec: { selector: Record<string, string> } };
        expect(budget.spec.minAvailable).to.equal(1);
        expect(budget.spec.selector.matchLabels).to.deep.equal(service.spec.selector);
      });
    });
  }

  describe('restricted Pod Security profile', () => {
    it('holds for the Deployment and the helm test pod with default and non-default values', () => {
      for (const options of [SCENARIOS['default values'], SCENARIOS['non-default values']]) {
        const objects = render(options ?? {});
        for (const pod of [deploymentPod(objects), testPod(objects)]) {
          expect(checkRestrictedProfile(pod.spec, pod.metadata?.annotations ?? {})).to.deep.equal([]);
        }
      }
    });

    it('is broken by the lab values only through hostNetwork (documented, lab only)', () => {
      const objects = render({ valuesFiles: [LAB_VALUES_FILE] });
      for (const pod of [deploymentPod(objects), testPod(objects)]) {
        expect(checkRestrictedProfile(pod.spec, pod.metadata?.annotations ?? {})).to.deep.equal(['Host Namespaces: spec.hostNetwork is true']);
      }
    });

    it('is checked for real: a privileged override is reported', () => {
      const objects = render({ values: { securityContext: { privileged: true, allowPrivilegeEscalation: true, capabilities: { drop: ['ALL'] } } } });
      expect(checkRestrictedProfile(deploymentPod(objects).spec)).to.deep.equal([
        'Privileged Containers: spec.containers[code-execution-service].securityContext.privileged is true',
        'Privilege Escalation: spec.containers[code-execution-service].securityContext.allowPrivilegeEscalation is not false',
      ]);
    });
  });

  describe('optional objects', () => {
    it('leaves out the HPA, the KongPlugins and the service NetworkPolicy by default', () => {
      const kinds = render({}).map((o) => `${o.kind}/${o.metadata.name}`);
      expect(kinds).to.have.members([
        'NetworkPolicy/code-execution-service-sandbox-deny-all',
        'PodDisruptionBudget/code-execution-service',
        'ServiceAccount/code-execution-service',
        'ServiceAccount/code-execution-service-sandbox',
        'Role/code-execution-service',
        'RoleBinding/code-execution-service',
        'Service/code-execution-service',
        'Deployment/code-execution-service',
        'Ingress/code-execution-service',
        'Pod/code-execution-service-test-hello-world',
      ]);
    });

    it('attaches the enabled KongPlugins (and extra ones) to the Ingress by name', () => {
      const objects = render({ values: NON_DEFAULT_VALUES, release: 'learnflow-exec' });
      const plugins = objects.filter((o) => o.kind === 'KongPlugin');
      expect(plugins.map((p) => [p.metadata.name, p.plugin])).to.deep.equal([
        ['learnflow-exec-code-execution-service-rate-limiting', 'rate-limiting'],
        ['learnflow-exec-code-execution-service-request-size', 'request-size-limiting'],
      ]);
      expect(plugins[0]?.config).to.deep.equal({ minute: 30, hour: 500, policy: 'local', limit_by: 'ip' });
      const ingress = only(objects, 'Ingress');
      expect(ingress.metadata.annotations).to.deep.equal({
        'konghq.com/protocols': 'https',
        'konghq.com/strip-path': 'true',
        'konghq.com/plugins': 'learnflow-exec-code-execution-service-rate-limiting,learnflow-exec-code-execution-service-request-size,learnflow-cors',
      });
    });

    it('scales the Deployment with an HPA instead of a fixed replica count when autoscaling is on', () => {
      const objects = render({ values: NON_DEFAULT_VALUES, release: 'learnflow-exec' });
      const hpa = only(objects, 'HorizontalPodAutoscaler') as KubeObject & { spec: Record<string, unknown> };
      expect(hpa.apiVersion).to.equal('autoscaling/v2');
      expect(hpa.spec.scaleTargetRef).to.deep.equal({ apiVersion: 'apps/v1', kind: 'Deployment', name: 'learnflow-exec-code-execution-service' });
      expect([hpa.spec.minReplicas, hpa.spec.maxReplicas]).to.deep.equal([3, 12]);
      expect((only(objects, 'Deployment').spec as { replicas?: number }).replicas).to.equal(undefined);
    });

    it('uses the API versions a 1.20 cluster serves for the PDB and the HPA', () => {
      const objects = render({ values: { autoscaling: { enabled: true } }, kubeVersion: '1.20.2', apiVersions: ['policy/v1beta1', 'autoscaling/v2beta2'] });
      const versions = objects.filter((o) => ['PodDisruptionBudget', 'HorizontalPodAutoscaler'].includes(o.kind)).map((o) => o.apiVersion);
      expect(versions.sort()).to.deep.equal(['autoscaling/v2beta2', 'policy/v1beta1']);
    });

    it('lets the service NetworkPolicy admit only the listed callers and the helm test pod', () => {
      const objects = render({ values: NON_DEFAULT_VALUES, release: 'learnflow-exec' });
      const policy = only(objects, 'NetworkPolicy', 'learnflow-exec-code-execution-service') as KubeObject & {
        spec: { podSelector: { matchLabels: Record<string, string> }; ingress: { from: { podSelector?: { matchLabels: Record<string, string> } }[] }[] };
      };
      expect(policy.spec.podSelector.matchLabels).to.deep.equal({ 'app.kubernetes.io/name': 'code-execution-service', 'app.kubernetes.io/instance': 'learnflow-exec' });
      const testLabels = testPod(objects).metadata?.labels ?? {};
      const podPeer = policy.spec.ingress[0]?.from[0]?.podSelector?.matchLabels ?? {};
      expect(Object.entries(podPeer).every(([key, value]) => testLabels[key] === value)).to.equal(true);
    });
  });

  describe('values.schema.json', () => {
    it('rejects a misspelt setting and a value of the wrong type', () => {
      const typo = tryRenderChart({ values: { config: { logLevl: 'debug' } } });
      expect(typo.status).to.not.equal(0);
      expect(typo.stderr).to.include("additional properties 'logLevl' not allowed");
      const wrongType = tryRenderChart({ values: { config: { port: 'eighty' } } });
      expect(wrongType.status).to.not.equal(0);
      expect(wrongType.stderr).to.include('/config/port');
    });
  });
});
