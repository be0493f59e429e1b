/** Where the Kubernetes executor finds its credentials: kubectl's KUBECONFIG rules, then ~/.kube/config, then in-cluster. */
import { expect } from 'chai';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { loadKubeConfig } from '../../src/executors/kubernetes/kubeApi.ts';

/** A kubeconfig with one cluster, user and context of each name, and an optional current context. */
function kubeconfig(names: string[], current?: string): string {
  return JSON.stringify({
    apiVersion: 'v1',
    kind: 'Config',
    clusters: names.map((name) => ({ name, cluster: { server: `https://${name}.example:6443` } })),
    users: names.map((name) => ({ name, user: { token: `token-${name}` } })),
    contexts: names.map((name) => ({ name, context: { cluster: name, user: name, namespace: `ns-${name}` } })),
    ...(current === undefined ? {} : { 'current-context': current }),
  });
}

describe('unit: Kubernetes credentials (loadKubeConfig)', () => {
  let directory: string;
  const file = (name: string, content: string): string => {
    const target = path.join(directory, name);
    writeFileSync(target, content);
    return target;
  };

  beforeEach(() => {
    directory = mkdtempSync(path.join(tmpdir(), 'kubeconfig-'));
  });
  afterEach(() => {
    rmSync(directory, { recursive: true, force: true });
  });

  it('one file: its current context', () => {
    const config = loadKubeConfig({ kubeconfig: file('a', kubeconfig(['a'], 'a')) });
    expect([config.currentContext, config.getCurrentCluster()?.server]).to.deep.equal(['a', 'https://a.example:6443']);
  });

  it("a ':'-separated list is merged as kubectl merges it: the first file to set a value wins", () => {
    const first = file('first', kubeconfig(['shared', 'one'], 'one'));
    const second = file('second', kubeconfig(['shared', 'two'], 'two'));
    const config = loadKubeConfig({ kubeconfig: `${first}:${second}` });
    expect(config.currentContext).to.equal('one');
    expect(config.getContexts().map((c) => c.name)).to.deep.equal(['shared', 'one', 'two']);
    expect(config.getUser('shared')?.token).to.equal('token-shared');
    expect(config.getCluster('two')?.server).to.equal('https://two.example:6443');
  });

  it('the current context comes from a later file when the first sets none; empty entries and missing files are skipped', () => {
    const first = file('first', kubeconfig(['one']));
    const second = file('second', kubeconfig(['two'], 'two'));
    const config = loadKubeConfig({ kubeconfig: `:${path.join(directory, 'missing')}:${first}::${second}` });
    expect([config.currentContext, config.getCurrentCluster()?.server]).to.deep.equal(['two', 'https://two.example:6443']);
  });

  it('none of the files exists: an error naming them', () => {
    const missing = [path.join(directory, 'x'), path.join(directory, 'y')];
    expect(() => loadKubeConfig({ kubeconfig: missing.join(':') })).to.throw(`no kubeconfig file exists: ${missing.join(', ')}`);
  });

  it('empty: ~/.kube/config, else (not in a pod) an error, never the client default of http://localhost:8080', () => {
    const home = process.env.HOME;
    process.env.HOME = directory;
    try {
      expect(() => loadKubeConfig({ kubeconfig: '' })).to.throw(
        `no credentials: KUBECONFIG is empty, ${path.join(directory, '.kube', 'config')} does not exist and /var/run/secrets/kubernetes.io/serviceaccount/token (in-cluster) neither`,
      );
      mkdirSync(path.join(directory, '.kube'));
      file('.kube/config', kubeconfig(['home'], 'home'));
      expect(loadKubeConfig({ kubeconfig: '' }).getCurrentCluster()?.server).to.equal('https://home.example:6443');
    } finally {
      if (home === undefined) delete process.env.HOME;
      else process.env.HOME = home;
    }
  });
});
