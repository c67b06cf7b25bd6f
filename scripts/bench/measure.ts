import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';

/** One timed run of a command in a fresh process. */
export interface Sample {
  readonly seconds: number;
  /** User + system CPU seconds of the whole process tree: steadier than wall time on a busy machine. */
  readonly cpuSeconds: number;
  /** Peak resident set size of the process tree's largest process, in MB. */
  readonly peakMb: number;
}

/** A command to run and where. */
export interface Command {
  readonly argv: readonly string[];
  readonly cwd: string;
  readonly env?: NodeJS.ProcessEnv;
}

const GNU_TIME = '/usr/bin/time';
let runs = 0;

/**
 * Runs `cmd` once and measures its wall time (from here), CPU time and peak RSS: with GNU time when it is
 * installed, else with a preload that makes every Node process of the run report `process.resourceUsage()`.
 * Throws with the command's output when it fails: a failed run must not become a fast sample.
 */
export function measure(cmd: Command, scratch: string): Sample {
  const usageFile = path.join(scratch, `rss-${++runs}`);
  const gnuTime = fs.existsSync(GNU_TIME);
  const argv = gnuTime ? [GNU_TIME, '-f', '%M %U %S', '-o', usageFile, ...cmd.argv] : [...cmd.argv];
  const env = { ...process.env, ...cmd.env };
  if (!gnuTime) {
    const preload = path.join(scratch, 'report-usage.js');
    fs.writeFileSync(preload, [
      "process.on('exit', () => { const u = process.resourceUsage();",
      "require('fs').appendFileSync(process.env.BENCH_USAGE_FILE, `${u.maxRSS} ${u.userCPUTime / 1e6} ${u.systemCPUTime / 1e6}\\n`); });",
    ].join(' '));
    env.NODE_OPTIONS = `${env.NODE_OPTIONS ?? ''} --require ${preload}`.trim();
    env.BENCH_USAGE_FILE = usageFile;
  }
  const start = process.hrtime.bigint();
  const r = spawnSync(argv[0], argv.slice(1), { cwd: cmd.cwd, env, encoding: 'utf8', maxBuffer: 1 << 28 });
  const seconds = Number(process.hrtime.bigint() - start) / 1e9;
  if (r.status !== 0) {
    throw new Error(`${cmd.argv.join(' ')} failed (exit ${r.status ?? r.signal}):\n${r.stdout}${r.stderr}`);
  }
  // One line per process (the preload) or one for the tree (GNU time): "maxRSS-KB user-s system-s".
  const lines = fs.existsSync(usageFile) ? fs.readFileSync(usageFile, 'utf8').split('\n').filter((l) => /^\d+ /.test(l)) : [];
  fs.rmSync(usageFile, { force: true });
  const fields = lines.map((l) => l.split(' ').map(Number));
  return {
    seconds,
    cpuSeconds: fields.reduce((sum, [, user, system]) => sum + user + system, 0),
    peakMb: Math.max(...fields.map(([kb]) => kb)) / 1024,
  };
}

export function median(values: readonly number[]): number {
  const s = [...values].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return s.length % 2 ? s[mid] : (s[mid - 1] + s[mid]) / 2;
}
