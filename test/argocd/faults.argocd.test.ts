/**
 * Faults of the real-ArgoCD harness: a port already in use, a component that does not start, a wait that
 * never ends. Each fails with the component's log tail and what it waited for, and every process started is
 * stopped by pid.
 */
import * as net from 'node:net';
import * as path from 'node:path';
import { Cluster, binDir, ensureBinaries, freePorts, startCluster } from '../cluster/harness';
import { waitFor, waitForPort } from './argocd';

let cluster: Cluster;
const alive = (pid: number) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

beforeAll(async () => {
  ensureBinaries();
  cluster = await startCluster();
}, 15 * 60 * 1000);

afterAll(async () => {
  await cluster?.stop();
});

test('a port already in use: redis exits and the error carries its log tail and the port it waited for', async () => {
  const [port] = await freePorts(1);
  const holder = net.createServer();
  await new Promise<void>((r) => holder.listen(port, '127.0.0.1', () => r()));
  try {
    const redis = cluster.spawn('redis-busy', 'redis-server', ['--bind', '127.0.0.1', '--port', String(port), '--save', '', '--appendonly', 'no']);
    await expect(waitForPort(redis, port)).rejects.toThrow(new RegExp(`redis-busy exited \\(\\d+\\) before listening on 127\\.0\\.0\\.1:${port}[\\s\\S]*log tail[\\s\\S]*Address already in use`));
    expect(redis.exited()).toBe(true);
  } finally {
    await new Promise((r) => holder.close(r));
  }
}, 60000);

test('a component that does not start: the wait names what it waited for and shows the log tail', async () => {
  const kcm = cluster.spawn('kcm-bad-flag', path.join(binDir(), 'kube-controller-manager'), [`--kubeconfig=${cluster.kubeconfig}`, '--no-such-flag']);
  await expect(waitFor('kube-controller-manager to create something', () => undefined, { timeoutMs: 60000, services: [kcm], intervalMs: 200 }))
    .rejects.toThrow(/kcm-bad-flag exited \(\d+\) while waiting for kube-controller-manager to create something[\s\S]*unknown flag: --no-such-flag/);
}, 90000);

test('a wait that never ends times out with what it waited for, the last state and every log tail', async () => {
  const [port] = await freePorts(1);
  const redis = cluster.spawn('redis-ok', 'redis-server', ['--bind', '127.0.0.1', '--port', String(port), '--save', '', '--appendonly', 'no']);
  await waitForPort(redis, port);
  await expect(waitFor('Application never to be Synced', () => undefined, { timeoutMs: 1500, services: [redis], intervalMs: 200, state: () => 'never: OutOfSync' }))
    .rejects.toThrow(/timed out after 2 s waiting for Application never to be Synced\n--- last state ---\nnever: OutOfSync\n--- redis-ok log tail[\s\S]*Ready to accept connections/);
}, 60000);

test('stop() ends every spawned process by pid', async () => {
  const [port] = await freePorts(1);
  const redis = cluster.spawn('redis-stop', 'redis-server', ['--bind', '127.0.0.1', '--port', String(port), '--save', '', '--appendonly', 'no']);
  await waitForPort(redis, port);
  const pid = redis.process.pid!;
  expect(alive(pid)).toBe(true);
  await cluster.stop();
  expect(alive(pid)).toBe(false);
  expect(() => cluster.spawn('late', 'true', [])).toThrow(/cluster is stopped/);
}, 60000);
