import { execFileSync } from 'child_process';
import { createHash } from 'crypto';
import * as fs from 'fs';
import * as path from 'path';
import { HelmTool } from './render';

/**
 * A Go tool built by the project's one builder (`scripts/go/build-tool.sh <name>`) from its wrapper module
 * in `<goDir>/<name>/`. Its identity hashes the pinned inputs (go.mod, go.sum, tool.env) as the builder's
 * cache key does, so it is known without building; the binary is built (or found cached) only when asked.
 */
export function pinnedGoTool(goDir: string, name: string): HelmTool {
  const mod = path.join(goDir, name);
  const inputs = ['go.mod', 'go.sum', 'tool.env'].map((f) => fs.readFileSync(path.join(mod, f)));
  const version = /^VERSION=(\S+)/m.exec(inputs[2].toString())?.[1] ?? 'unknown';
  const key = createHash('sha256').update(Buffer.concat(inputs)).digest('hex').slice(0, 12);
  let binary: string | undefined;
  return {
    identity: `${name} ${version} (${key})`,
    binary: () => (binary ??= execFileSync('bash', [path.join(goDir, 'build-tool.sh'), name], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'] }).trim().split('\n').pop()!),
  };
}
