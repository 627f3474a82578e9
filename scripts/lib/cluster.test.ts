import { spawnSync } from 'node:child_process';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { MAX_FILE_BYTES } from '../../src/modules/documents/index.ts';
import { findNginx, nginxConfig } from './cluster.ts';

const base = { runDir: '/tmp/preau-cluster-x', port: 18080, nodePorts: [4001, 4002, 4003], runAsRoot: false };

describe('the local cluster’s nginx configuration', () => {
  it('balances over every node, retries a refused connection on the next one, and keeps its files in its own directory', () => {
    const conf = nginxConfig({ ...base, passForwardedFor: false });
    for (const p of base.nodePorts) expect(conf).toContain(`server 127.0.0.1:${p} `);
    expect(conf).toMatch(/proxy_next_upstream error timeout;/);
    expect(conf).not.toMatch(/non_idempotent/); // a POST the dead node may have applied is never replayed
    expect(conf).toMatch(/keepalive \d+;/);
    expect(conf).toContain('pid /tmp/preau-cluster-x/nginx.pid;');
    expect(conf).toContain('listen 127.0.0.1:18080;');
    expect(conf).toMatch(/location \/api\/live \{[^}]*proxy_buffering off;[^}]*proxy_read_timeout 1h;/);
    const bodyMb = Number(/client_max_body_size (\d+)m;/.exec(conf)?.[1]);
    expect(bodyMb * 1024 * 1024).toBeGreaterThan(MAX_FILE_BYTES);
  });

  it('sets the client’s own address unless told to pass a load generator’s X-Forwarded-For', () => {
    expect(nginxConfig({ ...base, passForwardedFor: false })).toContain('proxy_set_header X-Forwarded-For $remote_addr;');
    expect(nginxConfig({ ...base, passForwardedFor: true })).toContain('proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;');
  });

  it.skipIf(!findNginx())('is accepted by nginx -t', async () => {
    const runDir = await mkdtemp(path.join(tmpdir(), 'preau-nginx-test-'));
    try {
      await mkdir(path.join(runDir, 'tmp'));
      const conf = path.join(runDir, 'nginx.conf');
      await writeFile(conf, nginxConfig({ ...base, runDir, passForwardedFor: false, runAsRoot: process.getuid?.() === 0 }));
      const result = spawnSync(findNginx()!, ['-t', '-p', runDir, '-c', conf, '-e', path.join(runDir, 'error.log')], { encoding: 'utf8' });
      expect(result.status, result.stderr).toBe(0);
    } finally {
      await rm(runDir, { recursive: true, force: true });
    }
  });
});
