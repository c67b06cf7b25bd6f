/**
 * The property every invalid input must meet, parameterized by the library so that a deliberately broken
 * copy can be run through it (broken-construct.test.ts): synth throws a BaselineError in the documented
 * shape, naming the construct path and the offending value, and the previous dist/ stays byte for byte.
 */
import { App } from 'cdk8s';
import * as fc from 'fast-check';
import { treeDigest } from '../util';
import { HomelabSpec, LibModule, build } from './gen/homelab';
import { ANY_VALUE, InvalidCase } from './invalid';

/** `[path] problem: value. Allowed: ... Fix: ...`, the shape README documents. */
export const MESSAGE_SHAPE = /^\[(?<path>[^\]]+)\] (?<problem>.+?): (?<value>.*)\. Allowed: (?<allowed>.+)\. Fix: (?<fix>.+)$/s;

/** The whole pipeline as main.ts runs it: build, validate, rule pack, write `outdir` atomically. */
export function synthTo(lib: LibModule, outdir: string, spec: HomelabSpec): void {
  const app = new App();
  build(lib, app, spec);
  const manifests = lib.enforceRules(app, lib.collectManifests(app), { rules: lib.baselineRules() });
  lib.writeManifests(outdir, manifests);
}

/** The refusal property over `cases`, with `dist` holding a previous synth. */
export function refusesInvalidInput(lib: LibModule, dist: string, cases: fc.Arbitrary<InvalidCase>): fc.IPropertyWithHooks<[InvalidCase]> {
  return fc.property(cases, (c) => {
    const before = treeDigest(dist);
    let error: unknown;
    try {
      synthTo(lib, dist, c.spec);
    } catch (e) {
      error = e;
    }
    expect(treeDigest(dist)).toEqual(before);
    expect(error).toBeInstanceOf(lib.BaselineError);
    const e = error as InstanceType<LibModule['BaselineError']>;
    // The documented shape, exactly: [path] problem: value. Allowed: ... Fix: ...
    const v = e.detail.value;
    const rendered = v === undefined ? 'undefined' : typeof v === 'number' && !Number.isFinite(v) ? String(v) : JSON.stringify(v);
    expect(e.message).toBe(`[${e.path}] ${e.detail.problem}: ${rendered}. Allowed: ${e.detail.allowed}. Fix: ${e.detail.fix}`);
    expect(e.message).toMatch(MESSAGE_SHAPE);
    expect(e.path).toBe(c.path);
    expect(e.detail.problem).toMatch(c.problem);
    if (c.value !== ANY_VALUE) {
      expect(Object.is(e.detail.value, c.value) || JSON.stringify(e.detail.value) === JSON.stringify(c.value)).toBe(true);
    }
    expect(e.detail.allowed.trim()).not.toBe('');
    expect(e.detail.fix.trim()).not.toBe('');
  });
}
