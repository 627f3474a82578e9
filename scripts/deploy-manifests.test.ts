/**
 * The Kubernetes manifests (deploy/k8s/) and the Dockerfile agree with the app: every manifest
 * parses; probes hit routes the app answers, on the port it listens on; the example ConfigMap and
 * Secret make a configuration loadConfig accepts; the shutdown budget fits the grace period;
 * selectors and references point at things that exist.
 */
import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseAllDocuments } from 'yaml';
import { loadConfig } from '../src/config.ts';
import { buildTestApp, type TestApp } from '../src/test/app.ts';

const ROOT = path.join(path.dirname(fileURLToPath(import.meta.url)), '..');
const K8S = path.join(ROOT, 'deploy', 'k8s');

// The manifests are plain data: typed loosely, checked field by field below.
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- parsed YAML, every field used is asserted
type Manifest = { apiVersion: string; kind: string; metadata: { name: string; labels?: Record<string, string> }; [key: string]: any };

async function loadManifests(): Promise<Map<string, Manifest[]>> {
  const byFile = new Map<string, Manifest[]>();
  for (const file of (await readdir(K8S)).filter((f) => /\.ya?ml$/.test(f)).sort()) {
    const documents = parseAllDocuments(await readFile(path.join(K8S, file), 'utf8'));
    const list = Array.isArray(documents) ? documents : [documents];
    for (const doc of list) expect(doc.errors, `${file}: ${doc.errors.map((e) => e.message).join('; ')}`).toEqual([]);
    byFile.set(file, list.map((doc) => doc.toJS() as Manifest).filter((m) => m !== null));
  }
  return byFile;
}

describe('deploy/k8s and the Dockerfile', () => {
  let manifests: Map<string, Manifest[]>;
  let all: Manifest[];
  const one = (kind: string, name?: string): Manifest => {
    const found = all.filter((m) => m.kind === kind && (name === undefined || m.metadata.name === name));
    expect(found, `${kind} ${name ?? ''}`).toHaveLength(1);
    return found[0]!;
  };

  beforeAll(async () => {
    manifests = await loadManifests();
    all = [...manifests.values()].flat();
  });

  it('parses every manifest, each with apiVersion, kind and a name; kustomization lists the resources', () => {
    expect([...manifests.keys()]).toEqual(
      expect.arrayContaining(['configmap.yaml', 'deployment.yaml', 'hpa.yaml', 'kustomization.yaml', 'pdb.yaml', 'secret.example.yaml', 'service.yaml']),
    );
    for (const m of all) {
      expect(typeof m.apiVersion).toBe('string');
      expect(typeof m.kind).toBe('string');
      if (m.kind !== 'Kustomization') expect(m.metadata.name).toMatch(/^[a-z0-9-]+$/);
    }
    const kustomization = one('Kustomization');
    for (const resource of kustomization['resources'] as string[]) expect(manifests.has(resource), resource).toBe(true);
  });

  it('gives the app a configuration it accepts (example ConfigMap + Secret)', () => {
    const config = loadConfig({ ...one('ConfigMap', 'preau-config')['data'], ...one('Secret', 'preau-secrets')['stringData'] });
    expect(config).toMatchObject({ nodeEnv: 'production', host: '0.0.0.0', trustProxy: true, demo: false });
    expect(config.storage.kind).toBe('s3');
    expect(config.databaseUrl).toMatch(/^postgres:/);
    expect(config.redisUrl).toMatch(/^redis:/);
  });

  it('listens, probes and serves on the port the ConfigMap sets', () => {
    const port = Number(one('ConfigMap', 'preau-config')['data'].PORT);
    const container = one('Deployment', 'preau')['spec'].template.spec.containers[0];
    const http = container.ports.find((p: { name: string }) => p.name === 'http');
    expect(http.containerPort).toBe(port);
    for (const probe of ['startupProbe', 'readinessProbe', 'livenessProbe']) {
      expect([port, 'http']).toContain(container[probe].httpGet.port);
    }
    expect(container.readinessProbe.httpGet.path).toBe('/ready');
    expect(container.livenessProbe.httpGet.path).toBe('/health');
    expect(container.startupProbe.httpGet.path).toBe('/health');
    expect(container.envFrom.map((e: Record<string, { name: string }>) => Object.values(e)[0]!.name).sort()).toEqual(['preau-config', 'preau-secrets']);
    const service = one('Service', 'preau');
    expect(service['spec'].ports[0].targetPort).toBe('http');
  });

  it('fits preStop, the drain delay and the grace period inside terminationGracePeriodSeconds', () => {
    const data = one('ConfigMap', 'preau-config')['data'];
    const pod = one('Deployment', 'preau')['spec'].template.spec;
    const preStop = pod.containers[0].lifecycle.preStop.exec.command as string[];
    expect(preStop[0]).toBe('sleep');
    const budget = Number(preStop[1]) + Number(data.SHUTDOWN_DRAIN_DELAY_MS) / 1000 + Number(data.SHUTDOWN_GRACE_SECONDS);
    expect(pod.terminationGracePeriodSeconds).toBeGreaterThanOrEqual(budget + 1);
  });

  it('runs as the non-root user of the image, on a read-only root with a writable /tmp', async () => {
    const pod = one('Deployment', 'preau')['spec'].template.spec;
    const container = pod.containers[0];
    expect(pod.securityContext.runAsNonRoot).toBe(true);
    expect(container.securityContext).toMatchObject({ readOnlyRootFilesystem: true, allowPrivilegeEscalation: false, capabilities: { drop: ['ALL'] } });
    const tmp = container.volumeMounts.find((v: { mountPath: string }) => v.mountPath === '/tmp');
    expect(pod.volumes.find((v: { name: string }) => v.name === tmp.name).emptyDir).toBeDefined();
    // DATA_DIR, where anything local would be written, must be on that volume.
    expect(one('ConfigMap', 'preau-config')['data'].DATA_DIR).toMatch(/^\/tmp\//);

    const dockerfile = await readFile(path.join(ROOT, 'Dockerfile'), 'utf8');
    expect(dockerfile).toMatch(new RegExp(`^USER ${pod.securityContext.runAsUser}(:|$)`, 'm'));
    expect(dockerfile).toMatch(new RegExp(`^EXPOSE ${one('ConfigMap', 'preau-config')['data'].PORT}$`, 'm'));
    // The image starts the same entry point as `npm start` (tsx, src/cli.ts start).
    expect(dockerfile).toMatch(/^CMD \["node", "--import", "tsx", "src\/cli\.ts", "start"\]$/m);
    const packageJson = JSON.parse(await readFile(path.join(ROOT, 'package.json'), 'utf8')) as { scripts: Record<string, string> };
    expect(packageJson.scripts['start']).toContain('tsx src/cli.ts start');
  });

  it('points the autoscaler, the disruption budget and the Service at the Deployment’s pods', () => {
    const deployment = one('Deployment', 'preau');
    const podLabels = deployment['spec'].template.metadata.labels as Record<string, string>;
    const matches = (selector: Record<string, string>): boolean => Object.entries(selector).every(([k, v]) => podLabels[k] === v);
    expect(matches(deployment['spec'].selector.matchLabels)).toBe(true);
    expect(matches(one('Service', 'preau')['spec'].selector)).toBe(true);
    expect(matches(one('PodDisruptionBudget', 'preau')['spec'].selector.matchLabels)).toBe(true);
    const hpa = one('HorizontalPodAutoscaler', 'preau')['spec'];
    expect(hpa.scaleTargetRef).toMatchObject({ kind: 'Deployment', name: 'preau' });
    expect(hpa.metrics[0].resource.name).toBe('cpu');
    expect(hpa.minReplicas).toBeGreaterThanOrEqual(2);
    expect(deployment['spec'].strategy.rollingUpdate.maxUnavailable).toBe(0);
  });

  it('runs jobs with the Deployment’s image, on commands the CLI knows, with the same settings', async () => {
    const image = one('Deployment', 'preau')['spec'].template.spec.containers[0].image as string;
    const cli = await readFile(path.join(ROOT, 'src', 'cli.ts'), 'utf8');
    const jobs = all.filter((m) => m.kind === 'Job' || m.kind === 'CronJob');
    expect(jobs.map((j) => j.metadata.name).sort()).toEqual(['preau-blobs-gc', 'preau-migrate']);
    for (const job of jobs) {
      const pod = job.kind === 'CronJob' ? job['spec'].jobTemplate.spec.template.spec : job['spec'].template.spec;
      const container = pod.containers[0];
      expect(container.image).toBe(image);
      const command = container.command as string[];
      expect(command.slice(0, 4)).toEqual(['node', '--import', 'tsx', 'src/cli.ts']);
      expect(cli).toContain(`case '${command[4]}':`);
      expect(container.envFrom.map((e: Record<string, { name: string }>) => Object.values(e)[0]!.name).sort()).toEqual(['preau-config', 'preau-secrets']);
      expect(container.securityContext.readOnlyRootFilesystem).toBe(true);
      expect(container.volumeMounts.some((v: { mountPath: string }) => v.mountPath === '/tmp')).toBe(true);
    }
  });

  describe('the probed routes', () => {
    let app: TestApp;
    beforeAll(async () => {
      app = await buildTestApp();
    });
    afterAll(async () => {
      await app?.close();
    });

    it('answers /ready and /health with 200 on a healthy node', async () => {
      const container = one('Deployment', 'preau')['spec'].template.spec.containers[0];
      for (const probe of ['readinessProbe', 'livenessProbe']) {
        const response = await app.app.inject({ method: 'GET', url: container[probe].httpGet.path });
        expect(response.statusCode, container[probe].httpGet.path).toBe(200);
      }
    });
  });
});
