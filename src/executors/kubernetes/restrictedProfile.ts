/**
 * The "restricted" Pod Security Standard as a pure check, written from the official list
 * (https://kubernetes.io/docs/concepts/security/pod-security-standards/): every Baseline control
 * plus the Restricted ones. Clusters before 1.22 (our lab runs 1.20) have no PodSecurity admission,
 * so our pods must ask for every restriction themselves, and this check proves they do.
 * Reused by the chart tests on the Deployment and the helm test pod.
 */
import type { V1PodSpec, V1SecurityContext } from '@kubernetes/client-node';

/** Capabilities Baseline lets a container add. */
const BASELINE_CAPABILITIES = new Set([
  'AUDIT_WRITE', 'CHOWN', 'DAC_OVERRIDE', 'FOWNER', 'FSETID', 'KILL', 'MKNOD', 'NET_BIND_SERVICE',
  'SETFCAP', 'SETGID', 'SETPCAP', 'SETUID', 'SYS_CHROOT',
]);

/** The sysctls Baseline calls safe (namespaced, isolated between pods). */
const SAFE_SYSCTLS = new Set([
  'kernel.shm_rmid_forced', 'net.ipv4.ip_local_port_range', 'net.ipv4.ip_unprivileged_port_start',
  'net.ipv4.tcp_syncookies', 'net.ipv4.ping_group_range', 'net.ipv4.ip_local_reserved_ports',
  'net.ipv4.tcp_keepalive_time', 'net.ipv4.tcp_fin_timeout', 'net.ipv4.tcp_keepalive_intvl',
  'net.ipv4.tcp_keepalive_probes',
]);

const SELINUX_TYPES = new Set(['', 'container_t', 'container_init_t', 'container_kvm_t', 'container_engine_t']);

/** The only volume sources Restricted allows. */
const RESTRICTED_VOLUME_SOURCES = new Set([
  'configMap', 'csi', 'downwardAPI', 'emptyDir', 'ephemeral', 'persistentVolumeClaim', 'projected', 'secret',
]);

const APPARMOR_ANNOTATION_PREFIX = 'container.apparmor.security.beta.kubernetes.io/';

/** A container of any kind, with the path that names it in messages. */
interface NamedContainer {
  readonly path: string;
  readonly securityContext: V1SecurityContext | undefined;
  readonly ports: readonly { hostPort?: number }[];
}

type Rule = (spec: V1PodSpec, containers: readonly NamedContainer[]) => string[];

/**
 * Checks a pod spec (and the pod's annotations, for AppArmor) against the restricted profile.
 * Returns one message per violation, `control: field ...`; an empty array means compliant.
 */
export function checkRestrictedProfile(podSpec: V1PodSpec, annotations: Readonly<Record<string, string>> = {}): string[] {
  const containers = allContainers(podSpec);
  const rules: Rule[] = [
    hostProcess, hostNamespaces, privileged, capabilities, hostPathVolumes, hostPorts,
    (_spec, list) => appArmor(_spec, list, annotations),
    seLinux, procMount, seccomp, sysctls, volumeTypes, privilegeEscalation, runAsNonRoot, runAsNonRootUser,
  ];
  return rules.flatMap((rule) => rule(podSpec, containers));
}

function allContainers(spec: V1PodSpec): NamedContainer[] {
  const groups = [
    ['containers', spec.containers ?? []],
    ['initContainers', spec.initContainers ?? []],
    ['ephemeralContainers', spec.ephemeralContainers ?? []],
  ] as const;
  return groups.flatMap(([field, list]) =>
    (list as readonly { name: string; securityContext?: V1SecurityContext; ports?: { hostPort?: number }[] }[]).map((c) => ({
      path: `spec.${field}[${c.name}]`,
      securityContext: c.securityContext,
      ports: c.ports ?? [],
    })),
  );
}

function hostProcess(spec: V1PodSpec, containers: readonly NamedContainer[]): string[] {
  const found: string[] = [];
  if (spec.securityContext?.windowsOptions?.hostProcess === true) found.push('HostProcess: spec.securityContext.windowsOptions.hostProcess is true');
  for (const c of containers) {
    if (c.securityContext?.windowsOptions?.hostProcess === true) found.push(`HostProcess: ${c.path}.securityContext.windowsOptions.hostProcess is true`);
  }
  return found;
}

function hostNamespaces(spec: V1PodSpec): string[] {
  return (['hostNetwork', 'hostPID', 'hostIPC'] as const)
    .filter((field) => spec[field] === true)
    .map((field) => `Host Namespaces: spec.${field} is true`);
}

function privileged(_spec: V1PodSpec, containers: readonly NamedContainer[]): string[] {
  return containers
    .filter((c) => c.securityContext?.privileged === true)
    .map((c) => `Privileged Containers: ${c.path}.securityContext.privileged is true`);
}

/** Baseline: add only from its list; Restricted: drop ALL, add at most NET_BIND_SERVICE. */
function capabilities(_spec: V1PodSpec, containers: readonly NamedContainer[]): string[] {
  return containers.flatMap((c) => {
    const caps = c.securityContext?.capabilities ?? {};
    const found = (caps.add ?? []).filter((cap) => cap !== 'NET_BIND_SERVICE').map((cap) =>
      BASELINE_CAPABILITIES.has(cap)
        ? `Capabilities: ${c.path} adds ${cap} (Restricted allows only NET_BIND_SERVICE)`
        : `Capabilities: ${c.path} adds ${cap} (not in the Baseline set)`,
    );
    if (!(caps.drop ?? []).includes('ALL')) found.push(`Capabilities: ${c.path}.securityContext.capabilities.drop does not include ALL`);
    return found;
  });
}

function hostPathVolumes(spec: V1PodSpec): string[] {
  return (spec.volumes ?? [])
    .filter((volume) => volume.hostPath !== undefined && volume.hostPath !== null)
    .map((volume) => `HostPath Volumes: spec.volumes[${volume.name}] is a hostPath`);
}

function hostPorts(_spec: V1PodSpec, containers: readonly NamedContainer[]): string[] {
  return containers.flatMap((c) =>
    c.ports.filter((port) => (port.hostPort ?? 0) !== 0).map((port) => `Host Ports: ${c.path} uses hostPort ${port.hostPort}`),
  );
}

function appArmor(spec: V1PodSpec, containers: readonly NamedContainer[], annotations: Readonly<Record<string, string>>): string[] {
  const allowedType = (type: string | undefined): boolean => type === undefined || type === 'RuntimeDefault' || type === 'Localhost';
  const contexts = [
    { path: 'spec.securityContext', type: spec.securityContext?.appArmorProfile?.type },
    ...containers.map((c) => ({ path: `${c.path}.securityContext`, type: c.securityContext?.appArmorProfile?.type })),
  ];
  const found = contexts.filter(({ type }) => !allowedType(type)).map(({ path, type }) => `AppArmor: ${path}.appArmorProfile.type is ${type}`);
  for (const [key, value] of Object.entries(annotations)) {
    if (key.startsWith(APPARMOR_ANNOTATION_PREFIX) && value !== 'runtime/default' && !value.startsWith('localhost/')) {
      found.push(`AppArmor: annotation ${key} is ${value}`);
    }
  }
  return found;
}

function seLinux(spec: V1PodSpec, containers: readonly NamedContainer[]): string[] {
  const contexts = [
    { path: 'spec.securityContext', options: spec.securityContext?.seLinuxOptions },
    ...containers.map((c) => ({ path: `${c.path}.securityContext`, options: c.securityContext?.seLinuxOptions })),
  ];
  return contexts.flatMap(({ path, options }) => {
    const { type = '', user = '', role = '' } = options ?? {};
    const found: string[] = [];
    if (!SELINUX_TYPES.has(type)) found.push(`SELinux: ${path}.seLinuxOptions.type is ${type}`);
    if (user !== '') found.push(`SELinux: ${path}.seLinuxOptions.user is set`);
    if (role !== '') found.push(`SELinux: ${path}.seLinuxOptions.role is set`);
    return found;
  });
}

function procMount(_spec: V1PodSpec, containers: readonly NamedContainer[]): string[] {
  return containers
    .filter((c) => (c.securityContext?.procMount ?? 'Default') !== 'Default')
    .map((c) => `/proc Mount Type: ${c.path}.securityContext.procMount is ${c.securityContext?.procMount}`);
}

/** Baseline forbids Unconfined; Restricted requires RuntimeDefault or Localhost on the pod or on every container. */
function seccomp(spec: V1PodSpec, containers: readonly NamedContainer[]): string[] {
  const podType = spec.securityContext?.seccompProfile?.type;
  const contexts = [
    { path: 'spec.securityContext', type: podType },
    ...containers.map((c) => ({ path: `${c.path}.securityContext`, type: c.securityContext?.seccompProfile?.type })),
  ];
  const found = contexts
    .filter(({ type }) => type !== undefined && !isConfinedSeccomp(type))
    .map(({ path, type }) => `Seccomp: ${path}.seccompProfile.type is ${type}`);
  const uncovered = isConfinedSeccomp(podType) ? [] : containers.filter((c) => c.securityContext?.seccompProfile?.type === undefined);
  return [...found, ...uncovered.map((c) => `Seccomp: ${c.path} has no seccompProfile and the pod sets none`)];
}

function isConfinedSeccomp(type: string | undefined): boolean {
  return type === 'RuntimeDefault' || type === 'Localhost';
}

function sysctls(spec: V1PodSpec): string[] {
  return (spec.securityContext?.sysctls ?? [])
    .filter((sysctl) => !SAFE_SYSCTLS.has(sysctl.name))
    .map((sysctl) => `Sysctls: spec.securityContext.sysctls sets ${sysctl.name}`);
}

function volumeTypes(spec: V1PodSpec): string[] {
  const found: string[] = [];
  for (const volume of spec.volumes ?? []) {
    const sources = Object.entries(volume).filter(([key, value]) => key !== 'name' && value !== undefined && value !== null);
    for (const [source] of sources) {
      if (!RESTRICTED_VOLUME_SOURCES.has(source)) found.push(`Volume Types: spec.volumes[${volume.name}] is a ${source} volume`);
    }
  }
  return found;
}

function privilegeEscalation(_spec: V1PodSpec, containers: readonly NamedContainer[]): string[] {
  return containers
    .filter((c) => c.securityContext?.allowPrivilegeEscalation !== false)
    .map((c) => `Privilege Escalation: ${c.path}.securityContext.allowPrivilegeEscalation is not false`);
}

function runAsNonRoot(spec: V1PodSpec, containers: readonly NamedContainer[]): string[] {
  const podValue = spec.securityContext?.runAsNonRoot;
  const found: string[] = [];
  if (podValue === false) found.push('Running as Non-root: spec.securityContext.runAsNonRoot is false');
  for (const c of containers) {
    const value = c.securityContext?.runAsNonRoot;
    if (value === false) found.push(`Running as Non-root: ${c.path}.securityContext.runAsNonRoot is false`);
    else if (value === undefined && podValue !== true) found.push(`Running as Non-root: ${c.path} sets no runAsNonRoot and the pod does not set it true`);
  }
  return found;
}

function runAsNonRootUser(spec: V1PodSpec, containers: readonly NamedContainer[]): string[] {
  const contexts = [
    { path: 'spec.securityContext', uid: spec.securityContext?.runAsUser },
    ...containers.map((c) => ({ path: `${c.path}.securityContext`, uid: c.securityContext?.runAsUser })),
  ];
  return contexts.filter(({ uid }) => uid === 0).map(({ path }) => `Running as Non-root user: ${path}.runAsUser is 0`);
}
