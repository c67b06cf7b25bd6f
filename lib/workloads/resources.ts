import { IConstruct } from 'constructs';
import { Quantity, ResourceRequirements } from 'cdk8s-plus-28/lib/imports/k8s';
import { fail } from '../errors';

/** CPU and memory, as Kubernetes quantities (`'250m'`, `'0.5'`; `'128Mi'`, `'1Gi'`). */
export interface CpuMemory {
  /** CPU, e.g. `'250m'` or `'1'`. */
  readonly cpu: string;
  /** Memory, e.g. `'256Mi'`. */
  readonly memory: string;
}

/**
 * What the container asks for and may use at most. Both are required: without limits a compromised or
 * runaway container can starve the node; without requests the scheduler cannot place it honestly.
 */
export interface Resources {
  /** What the scheduler reserves. */
  readonly requests: CpuMemory;
  /** The ceiling the kubelet enforces. Each must be at least the matching request. */
  readonly limits: CpuMemory;
}

const SUFFIX: Record<string, number> = {
  '': 1, m: 1e-3, k: 1e3, M: 1e6, G: 1e9, T: 1e12, P: 1e15, E: 1e18,
  Ki: 2 ** 10, Mi: 2 ** 20, Gi: 2 ** 30, Ti: 2 ** 40, Pi: 2 ** 50, Ei: 2 ** 60,
};
const QUANTITY = /^(\d+(?:\.\d+)?|\.\d+)(m|k|M|G|T|P|E|Ki|Mi|Gi|Ti|Pi|Ei)?$/;

/** The value of a Kubernetes quantity in base units, or undefined when it is not one. */
export function parseQuantity(text: string): number | undefined {
  const m = typeof text === 'string' ? QUANTITY.exec(text) : null;
  return m ? Number(m[1]) * SUFFIX[m[2] ?? ''] : undefined;
}

/** Validates requests and limits (both present, both well-formed, positive, request ≤ limit) and renders them. */
export function renderResources(scope: IConstruct, resources: Resources | undefined): ResourceRequirements {
  const out: Record<'requests' | 'limits', Record<string, Quantity>> = { requests: {}, limits: {} };
  const values: Record<string, number> = {};
  for (const kind of ['requests', 'limits'] as const) {
    for (const resource of ['cpu', 'memory'] as const) {
      const text = resources?.[kind]?.[resource];
      const value = parseQuantity(text as string);
      if (text === undefined || value === undefined || value <= 0) {
        fail(scope, {
          problem: `${kind}.${resource} ${text === undefined ? 'is missing' : 'is not a positive quantity'}`,
          value: text,
          allowed: resource === 'cpu' ? 'a CPU quantity such as "100m" or "1"' : 'a memory quantity such as "128Mi" or "1Gi"',
          fix: `set resources.${kind}.${resource}: both requests and limits are required for cpu and memory`,
        });
      }
      values[`${kind}.${resource}`] = value;
      out[kind][resource] = Quantity.fromString(text);
    }
  }
  for (const resource of ['cpu', 'memory'] as const) {
    if (values[`requests.${resource}`] > values[`limits.${resource}`]) {
      fail(scope, {
        problem: `requests.${resource} exceeds limits.${resource}`,
        value: `${resources!.requests[resource]} > ${resources!.limits[resource]}`,
        allowed: 'a request no larger than its limit',
        fix: `raise limits.${resource} or lower requests.${resource}`,
      });
    }
  }
  return out;
}
