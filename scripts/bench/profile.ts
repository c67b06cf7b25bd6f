import * as fs from 'fs';

interface ProfileNode {
  readonly id: number;
  readonly callFrame: { readonly functionName: string; readonly url: string; readonly lineNumber: number };
  readonly children?: number[];
}
interface CpuProfile {
  readonly nodes: ProfileNode[];
  readonly samples: number[];
  readonly timeDeltas: number[];
}

/** One row of a profile summary: a function (or a package) and its time in ms. */
export interface ProfileRow {
  readonly name: string;
  readonly ms: number;
}

/**
 * Summarizes a `node --cpu-prof` profile: the functions with the most self time, and the project's own
 * functions (build/) with the most inclusive time, which is where a super-linear loop shows up.
 */
export function summarizeProfile(file: string, top = 12): { total: number; self: ProfileRow[]; ours: ProfileRow[] } {
  const p = JSON.parse(fs.readFileSync(file, 'utf8')) as CpuProfile;
  const byId = new Map(p.nodes.map((n) => [n.id, n]));
  const parent = new Map<number, number>();
  for (const n of p.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
  const sampled = new Map<number, number>();
  p.samples.forEach((id, i) => sampled.set(id, (sampled.get(id) ?? 0) + (p.timeDeltas[i] ?? 0) / 1000));

  const name = (n: ProfileNode): string =>
    `${n.callFrame.functionName || '(anonymous)'} ${n.callFrame.url.replace(/^.*node_modules\//, '').replace(/^file:\/\/.*?\/build\//, 'build/')}:${n.callFrame.lineNumber + 1}`;
  const self = new Map<string, number>();
  const ours = new Map<string, number>();
  for (const [id, ms] of sampled) {
    const n = byId.get(id)!;
    self.set(name(n), (self.get(name(n)) ?? 0) + ms);
    const seen = new Set<string>();
    for (let x: number | undefined = id; x !== undefined; x = parent.get(x)) {
      const f = byId.get(x)!;
      if (!/\/build\/(lib|homelab|scripts)\//.test(f.callFrame.url) || seen.has(name(f))) continue;
      seen.add(name(f));
      ours.set(name(f), (ours.get(name(f)) ?? 0) + ms);
    }
  }
  const rows = (m: Map<string, number>): ProfileRow[] =>
    [...m].map(([n, ms]) => ({ name: n, ms })).sort((a, b) => b.ms - a.ms).slice(0, top);
  return { total: [...sampled.values()].reduce((a, b) => a + b, 0), self: rows(self), ours: rows(ours) };
}
