/**
 * The fake API server's storage: objects by kind, namespace and name, one global resourceVersion
 * counter, and the history of changes that watches replay from a resourceVersion.
 */
import { randomUUID } from 'node:crypto';

/** The kinds the fake serves, by their plural resource name. */
export type Resource = 'jobs' | 'pods' | 'events' | 'networkpolicies';

/** Any stored object: plain JSON as the API server would send it. */
export interface KubeObject {
  apiVersion?: string;
  kind?: string;
  metadata: {
    name: string;
    namespace: string;
    uid?: string;
    resourceVersion?: string;
    creationTimestamp?: string;
    deletionTimestamp?: string;
    deletionGracePeriodSeconds?: number;
    labels?: Record<string, string>;
    annotations?: Record<string, string>;
    ownerReferences?: { kind: string; name: string; uid: string; controller?: boolean }[];
    generateName?: string;
  };
  [field: string]: unknown;
}

/** One change, as a watch sends it. */
export interface StoreEvent {
  readonly type: 'ADDED' | 'MODIFIED' | 'DELETED';
  readonly resource: Resource;
  readonly object: KubeObject;
  readonly resourceVersion: number;
}

/** Objects, their versions and their history. */
export class ObjectStore {
  private version = 1000;
  private readonly objects = new Map<string, KubeObject>();
  private readonly listeners = new Set<(event: StoreEvent) => void>();
  readonly history: StoreEvent[] = [];

  /** The latest resourceVersion (what a list returns). */
  get resourceVersion(): number {
    return this.version;
  }

  /** Creates an object (uid, resourceVersion and creationTimestamp filled in unless given). */
  create(resource: Resource, object: KubeObject): KubeObject {
    const stored = structuredClone(object);
    stored.metadata.uid ??= randomUUID();
    stored.metadata.creationTimestamp ??= new Date().toISOString();
    return this.record('ADDED', resource, stored);
  }

  /** Changes an object in place; undefined when it does not exist. */
  update(resource: Resource, namespace: string, name: string, change: (object: KubeObject) => void): KubeObject | undefined {
    const current = this.objects.get(key(resource, namespace, name));
    if (current === undefined) return undefined;
    const next = structuredClone(current);
    change(next);
    return this.record('MODIFIED', resource, next);
  }

  /** Removes an object; returns its last state. */
  remove(resource: Resource, namespace: string, name: string): KubeObject | undefined {
    const current = this.objects.get(key(resource, namespace, name));
    if (current === undefined) return undefined;
    return this.record('DELETED', resource, structuredClone(current));
  }

  get(resource: Resource, namespace: string, name: string): KubeObject | undefined {
    const object = this.objects.get(key(resource, namespace, name));
    return object === undefined ? undefined : structuredClone(object);
  }

  /** The objects of a kind in a namespace that pass `filter` (copies). */
  list(resource: Resource, namespace: string, filter: (object: KubeObject) => boolean = () => true): KubeObject[] {
    const prefix = `${resource}/${namespace}/`;
    const found: KubeObject[] = [];
    for (const [k, object] of this.objects) if (k.startsWith(prefix) && filter(object)) found.push(structuredClone(object));
    return found;
  }

  /** The changes after `resourceVersion`, oldest first. */
  historySince(resourceVersion: number): StoreEvent[] {
    let low = 0;
    let high = this.history.length;
    while (low < high) {
      const middle = (low + high) >>> 1;
      if ((this.history[middle]?.resourceVersion ?? 0) <= resourceVersion) low = middle + 1;
      else high = middle;
    }
    return this.history.slice(low);
  }

  /** Calls `listener` for every change from now on; returns the unsubscribe function. */
  subscribe(listener: (event: StoreEvent) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  private record(type: StoreEvent['type'], resource: Resource, object: KubeObject): KubeObject {
    this.version += 1;
    object.metadata.resourceVersion = String(this.version);
    const k = key(resource, object.metadata.namespace, object.metadata.name);
    if (type === 'DELETED') this.objects.delete(k);
    else this.objects.set(k, object);
    const event: StoreEvent = { type, resource, object: structuredClone(object), resourceVersion: this.version };
    this.history.push(event);
    for (const listener of this.listeners) listener(event);
    return structuredClone(object);
  }
}

function key(resource: Resource, namespace: string, name: string): string {
  return `${resource}/${namespace}/${name}`;
}
