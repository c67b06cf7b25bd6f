import * as fs from 'fs';
import * as path from 'path';
import { parse } from 'yaml';
import { sharedDir } from '../../scripts/shared-inputs';

/** The part of a structural CRD schema this checker understands (what the ESO and ArgoCD CRDs use). */
interface Schema {
  type?: string;
  properties?: Record<string, Schema>;
  additionalProperties?: Schema | boolean;
  items?: Schema;
  required?: string[];
  enum?: unknown[];
  pattern?: string;
  minLength?: number;
  maxLength?: number;
  minProperties?: number;
  maxProperties?: number;
  'x-kubernetes-preserve-unknown-fields'?: boolean;
  'x-kubernetes-int-or-string'?: boolean;
}

/** The openAPIV3Schema of `version` in a CRD file under `<shared>/crds`. */
export function crdSchema(file: string, version: string): Schema {
  const crd = parse(fs.readFileSync(path.join(sharedDir(), 'crds', file), 'utf8'));
  return crd.spec.versions.find((v: { name: string }) => v.name === version).schema.openAPIV3Schema;
}

/**
 * The problems the API server would report for `value`, plus every field it would silently prune (a typo
 * such as `hostApi` for `hostAPI` is pruned, not rejected). Empty when the object is valid. `metadata` is
 * the API server's own (ObjectMeta) and is not checked here.
 */
export function schemaErrors(schema: Schema, value: unknown, at = ''): string[] {
  if (value === undefined || value === null) return [];
  const errors: string[] = [];
  const type = Array.isArray(value) ? 'array' : Number.isInteger(value) ? 'integer' : typeof value;
  const intOrString = schema['x-kubernetes-int-or-string'] && (type === 'integer' || type === 'string');
  if (schema.type && !intOrString && schema.type !== type && !(schema.type === 'number' && type === 'integer')) {
    return [`${at}: expected ${schema.type}, got ${type}`];
  }
  if (schema.enum && !schema.enum.includes(value)) errors.push(`${at}: ${JSON.stringify(value)} not in ${JSON.stringify(schema.enum)}`);
  if (typeof value === 'string') {
    if (schema.pattern && !new RegExp(schema.pattern).test(value)) errors.push(`${at}: "${value}" does not match ${schema.pattern}`);
    if (schema.minLength !== undefined && value.length < schema.minLength) errors.push(`${at}: shorter than ${schema.minLength}`);
    if (schema.maxLength !== undefined && value.length > schema.maxLength) errors.push(`${at}: longer than ${schema.maxLength}`);
  }
  if (Array.isArray(value) && schema.items) value.forEach((v, i) => errors.push(...schemaErrors(schema.items!, v, `${at}[${i}]`)));
  if (type === 'object') {
    const obj = value as Record<string, unknown>;
    const keys = Object.keys(obj);
    for (const r of schema.required ?? []) if (!(r in obj)) errors.push(`${at}: missing required ${r}`);
    if (schema.minProperties !== undefined && keys.length < schema.minProperties) errors.push(`${at}: fewer than ${schema.minProperties} properties`);
    if (schema.maxProperties !== undefined && keys.length > schema.maxProperties) errors.push(`${at}: more than ${schema.maxProperties} properties`);
    for (const k of keys) {
      if (at === '' && k === 'metadata') continue;
      const sub = schema.properties?.[k] ?? (typeof schema.additionalProperties === 'object' ? schema.additionalProperties : undefined);
      if (sub) errors.push(...schemaErrors(sub, obj[k], `${at}.${k}`));
      else if (!schema['x-kubernetes-preserve-unknown-fields'] && schema.additionalProperties !== true) errors.push(`${at}.${k}: unknown field (pruned)`);
    }
  }
  return errors;
}
