/**
 * Faults of the lab harness: a port already in use, a process that dies, a probe that hangs. Each fails with
 * what happened, and the lab still leaves nothing behind (no namespace, process, root-namespace rule or set).
 */
import { NetLab, RootState, alive, namespacesWithPrefix, rootState, run } from './netlab';

jest.setTimeout(120000);
const isRoot = process.getuid?.() === 0;
if (!isRoot) console.log('enforce faults: SKIPPED: network namespaces need root (CAP_NET_ADMIN, CAP_SYS_ADMIN); CI runs as root');
const d = isRoot ? describe : describe.skip;

d('the lab harness fails with what happened and cleans up', () => {
  let before: RootState;
  beforeAll(() => (before = rootState()));

  /** Runs `body` on a two-host lab, stops it whatever happens, and checks that nothing is left. */
  async function withLab(body: (lab: NetLab, a: string, b: string) => Promise<void>): Promise<void> {
    const lab = new NetLab(NetLab.uniquePrefix('f'));
    try {
      lab.addHosts([{ name: 'a', ips: ['10.244.1.11'] }, { name: 'b', ips: ['10.244.2.11'] }]);
      await body(lab, '10.244.1.11', '10.244.2.11');
    } finally {
      await lab.stop();
      expect(namespacesWithPrefix(lab.prefix)).toEqual([]);
      expect(lab.pids.filter(alive)).toEqual([]);
      expect(rootState()).toEqual(before);
    }
  }

  test('a port already in use fails the start, naming the host and the port', async () => {
    await withLab(async (lab) => {
      const host = lab.hostOf('10.244.2.11');
      const squatter = lab.spawn('squatter', host.netns, ['python3', '-c',
        'import socket,sys,time; s=socket.socket(); s.bind(("0.0.0.0",8080)); s.listen(); print("READY",flush=True); time.sleep(600)']);
      await new Promise<void>((resolve) => squatter.stdout!.on('data', (x) => String(x).includes('READY') && resolve()));
      await expect(lab.startListeners({ tcp: [8080], udp: [] })).rejects.toThrow(/listener of b \(pid \d+, netns \S+\) exited \(2\) before it was ready: cannot bind TCP\/8080: .*Address already in use/);
    });
  });

  test('a listener that dies fails the next check, naming it and its exit', async () => {
    await withLab(async (lab, a, b) => {
      await lab.startListeners({ tcp: [8080], udp: [] });
      expect(await lab.probe(lab.hostOf(a), [[b, 'TCP', 8080]])).toEqual(['open']);
      const victim = lab.pids[1]; // the listener of b
      process.kill(victim, 'SIGKILL');
      await new Promise((r) => setTimeout(r, 200));
      expect(() => lab.assertAlive()).toThrow(new RegExp(`listener b \\(pid ${victim}\\) exited \\(SIGKILL\\)`));
      expect(await lab.probe(lab.hostOf(a), [[b, 'TCP', 8080]])).toEqual(['refused']);
    });
  });

  test('a probe into a DROP times out instead of passing as open or refused', async () => {
    await withLab(async (lab, a, b) => {
      await lab.startListeners({ tcp: [8080], udp: [53] });
      run(['ip', 'netns', 'exec', lab.hostOf(b).netns, 'iptables', '-A', 'INPUT', '-p', 'tcp', '--dport', '8080', '-j', 'DROP']);
      expect(await lab.probe(lab.hostOf(a), [[b, 'TCP', 8080], [b, 'UDP', 53]], 0.5)).toEqual(['timeout', 'open']);
    });
  });

  test('a prober that hangs is killed at its deadline and fails the sweep', async () => {
    await withLab(async (lab, a, b) => {
      await lab.startListeners({ tcp: [8080], udp: [] });
      const probing = lab.probe(lab.hostOf(a), [[b, 'TCP', 8080]], 0.5, 2000);
      process.kill(lab.pids[lab.pids.length - 1], 'SIGSTOP'); // the prober just started
      await expect(probing).rejects.toThrow(/prober in a \(pid \d+, netns \S+\) hung: no answer to 1 probes after 2000 ms; killed/);
    });
  });

  test('the lab refuses to probe an address it did not assign', async () => {
    await withLab(async (lab, a) => {
      expect(() => lab.probe(lab.hostOf(a), [['192.0.2.99', 'TCP', 80]])).toThrow(/no lab host has 192\.0\.2\.99/);
    });
  });
});
