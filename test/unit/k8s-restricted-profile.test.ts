/**
 * checkRestrictedProfile: a compliant pod passes, and each control of the Pod Security Standards
 * (Baseline + Restricted) catches its own violation with its own message.
 */
import { expect } from 'chai';
import type { V1PodSpec } from '@kubernetes/client-node';
import { checkRestrictedProfile } from '../../src/executors/kubernetes/restrictedProfile.ts';

/** A minimal pod that satisfies the restricted profile. */
function compliant(): V1PodSpec {
  return {
    securityContext: { runAsNonRoot: true, runAsUser: 65532, seccompProfile: { type: 'RuntimeDefault' } },
    containers: [{ name: 'app', image: 'x', securityContext: { allowPrivilegeEscalation: false, capabilities: { drop: ['ALL'] } } }],
  };
}

/** The violations of a compliant pod changed by `change`. */
function violations(change: (pod: V1PodSpec) => void, annotations: Record<string, string> = {}): string[] {
  const pod = compliant();
  change(pod);
  return checkRestrictedProfile(pod, annotations);
}

const app = (pod: V1PodSpec): NonNullable<V1PodSpec['containers'][number]['securityContext']> => {
  const container = pod.containers[0];
  if (!container?.securityContext) throw new Error('test pod without a security context');
  return container.securityContext;
};

describe('unit: the restricted Pod Security Standard check', () => {
  it('passes a compliant pod', () => {
    expect(checkRestrictedProfile(compliant())).to.deep.equal([]);
  });

  it('allows what the profile allows: NET_BIND_SERVICE, Localhost seccomp, safe sysctls, allowed volumes, container-level non-root', () => {
    expect(
      violations((pod) => {
        app(pod).capabilities = { drop: ['ALL'], add: ['NET_BIND_SERVICE'] };
        pod.securityContext = { runAsNonRoot: true, seccompProfile: { type: 'Localhost', localhostProfile: 'p.json' }, sysctls: [{ name: 'net.ipv4.ip_unprivileged_port_start', value: '0' }] };
        pod.volumes = [{ name: 'tmp', emptyDir: { medium: 'Memory' } }, { name: 'cfg', configMap: { name: 'c' } }, { name: 'p', projected: { sources: [] } }];
        app(pod).seLinuxOptions = { type: 'container_t' };
        app(pod).procMount = 'Default';
        app(pod).appArmorProfile = { type: 'RuntimeDefault' };
      }, { 'container.apparmor.security.beta.kubernetes.io/app': 'runtime/default' }),
    ).to.deep.equal([]);
  });

  describe('Baseline controls', () => {
    it('HostProcess', () => {
      expect(violations((pod) => (app(pod).windowsOptions = { hostProcess: true }))).to.deep.equal([
        'HostProcess: spec.containers[app].securityContext.windowsOptions.hostProcess is true',
      ]);
    });

    it('Host Namespaces', () => {
      expect(violations((pod) => Object.assign(pod, { hostNetwork: true, hostPID: true, hostIPC: true }))).to.deep.equal([
        'Host Namespaces: spec.hostNetwork is true',
        'Host Namespaces: spec.hostPID is true',
        'Host Namespaces: spec.hostIPC is true',
      ]);
    });

    it('Privileged Containers (init containers too)', () => {
      expect(
        violations((pod) => {
          pod.initContainers = [{ name: 'init', image: 'x', securityContext: { privileged: true, allowPrivilegeEscalation: false, capabilities: { drop: ['ALL'] } } }];
        }),
      ).to.deep.equal(['Privileged Containers: spec.initContainers[init].securityContext.privileged is true']);
    });

    it('Capabilities beyond the Baseline set', () => {
      expect(violations((pod) => (app(pod).capabilities = { drop: ['ALL'], add: ['SYS_ADMIN'] }))).to.deep.equal([
        'Capabilities: spec.containers[app] adds SYS_ADMIN (not in the Baseline set)',
      ]);
    });

    it('HostPath Volumes', () => {
      expect(violations((pod) => (pod.volumes = [{ name: 'root', hostPath: { path: '/' } }]))).to.deep.equal([
        'HostPath Volumes: spec.volumes[root] is a hostPath',
        'Volume Types: spec.volumes[root] is a hostPath volume',
      ]);
    });

    it('Host Ports', () => {
      expect(violations((pod) => ((pod.containers[0] as { ports?: unknown }).ports = [{ containerPort: 80, hostPort: 8080 }]))).to.deep.equal([
        'Host Ports: spec.containers[app] uses hostPort 8080',
      ]);
    });

    it('AppArmor: unconfined by field or annotation', () => {
      expect(violations((pod) => (app(pod).appArmorProfile = { type: 'Unconfined' }))).to.deep.equal([
        'AppArmor: spec.containers[app].securityContext.appArmorProfile.type is Unconfined',
      ]);
      expect(violations(() => undefined, { 'container.apparmor.security.beta.kubernetes.io/app': 'unconfined' })).to.deep.equal([
        'AppArmor: annotation container.apparmor.security.beta.kubernetes.io/app is unconfined',
      ]);
    });

    it('SELinux: custom type, user or role', () => {
      expect(violations((pod) => (pod.securityContext = { ...pod.securityContext, seLinuxOptions: { type: 'spc_t', user: 'system_u', role: 'r' } }))).to.deep.equal([
        'SELinux: spec.securityContext.seLinuxOptions.type is spc_t',
        'SELinux: spec.securityContext.seLinuxOptions.user is set',
        'SELinux: spec.securityContext.seLinuxOptions.role is set',
      ]);
    });

    it('/proc Mount Type', () => {
      expect(violations((pod) => (app(pod).procMount = 'Unmasked'))).to.deep.equal([
        '/proc Mount Type: spec.containers[app].securityContext.procMount is Unmasked',
      ]);
    });

    it('Seccomp: Unconfined', () => {
      expect(violations((pod) => (app(pod).seccompProfile = { type: 'Unconfined' }))).to.deep.equal([
        'Seccomp: spec.containers[app].securityContext.seccompProfile.type is Unconfined',
      ]);
    });

    it('Sysctls outside the safe set', () => {
      expect(violations((pod) => (pod.securityContext = { ...pod.securityContext, sysctls: [{ name: 'kernel.msgmax', value: '1' }] }))).to.deep.equal([
        'Sysctls: spec.securityContext.sysctls sets kernel.msgmax',
      ]);
    });
  });

  describe('Restricted controls', () => {
    it('Volume Types', () => {
      expect(violations((pod) => (pod.volumes = [{ name: 'share', nfs: { server: 'nfs', path: '/' } }]))).to.deep.equal([
        'Volume Types: spec.volumes[share] is a nfs volume',
      ]);
    });

    it('Privilege Escalation: must be false, not just unset', () => {
      expect(violations((pod) => delete app(pod).allowPrivilegeEscalation)).to.deep.equal([
        'Privilege Escalation: spec.containers[app].securityContext.allowPrivilegeEscalation is not false',
      ]);
    });

    it('Running as Non-root: false anywhere, or unset on both pod and container', () => {
      expect(violations((pod) => (app(pod).runAsNonRoot = false))).to.deep.equal([
        'Running as Non-root: spec.containers[app].securityContext.runAsNonRoot is false',
      ]);
      expect(violations((pod) => delete pod.securityContext?.runAsNonRoot)).to.deep.equal([
        'Running as Non-root: spec.containers[app] sets no runAsNonRoot and the pod does not set it true',
      ]);
    });

    it('Running as Non-root user: uid 0', () => {
      expect(violations((pod) => (app(pod).runAsUser = 0))).to.deep.equal(['Running as Non-root user: spec.containers[app].securityContext.runAsUser is 0']);
    });

    it('Seccomp: required on the pod or on every container', () => {
      expect(violations((pod) => delete pod.securityContext?.seccompProfile)).to.deep.equal([
        'Seccomp: spec.containers[app] has no seccompProfile and the pod sets none',
      ]);
      expect(
        violations((pod) => {
          delete pod.securityContext?.seccompProfile;
          app(pod).seccompProfile = { type: 'RuntimeDefault' };
        }),
      ).to.deep.equal([]);
    });

    it('Capabilities: must drop ALL, may add only NET_BIND_SERVICE', () => {
      expect(violations((pod) => (app(pod).capabilities = { drop: ['NET_RAW'] }))).to.deep.equal([
        'Capabilities: spec.containers[app].securityContext.capabilities.drop does not include ALL',
      ]);
      expect(violations((pod) => (app(pod).capabilities = { drop: ['ALL'], add: ['CHOWN'] }))).to.deep.equal([
        'Capabilities: spec.containers[app] adds CHOWN (Restricted allows only NET_BIND_SERVICE)',
      ]);
    });

    it('checks ephemeral containers too', () => {
      expect(violations((pod) => (pod.ephemeralContainers = [{ name: 'debug', image: 'x' }]))).to.deep.equal([
        'Capabilities: spec.ephemeralContainers[debug].securityContext.capabilities.drop does not include ALL',
        'Privilege Escalation: spec.ephemeralContainers[debug].securityContext.allowPrivilegeEscalation is not false',
      ]);
    });
  });
});
