import { exemptionReason, ruleDoc } from '../annotations';
import { Risk, riskText } from '../risk-level';
import { RbacGuarantee } from '../rbac/grant';
import { PRIVILEGED_CLUSTER_ROLES, RBAC_GUARANTEES, checkRbacGuarantees } from '../rbac/guarantees';
import { Binding, ServiceAccountRef, bindingReaches, effectivePermissions, serviceAccountGroups } from '../rbac/permission';
import { KubeObject } from '../synth/manifest';
import { code, compare, sortBy, table } from './markdown';
import { ObjectIndex } from './objects';

/** One rule an identity gets through one binding. */
export interface GrantRow {
  /** `ServiceAccount openclaw/openclaw`, `Group system:authenticated`. */
  readonly subject: string;
  /** `cluster-wide` or `namespace <ns>`. */
  readonly scope: string;
  /** `Role openclaw-role`, `ClusterRole openclaw-homelab-admin`. */
  readonly role: string;
  /** False when the role is not among the objects (built-in or created by a Helm chart). */
  readonly roleFound: boolean;
  readonly apiGroups: readonly string[];
  readonly resources: readonly string[];
  readonly verbs: readonly string[];
  readonly resourceNames: readonly string[];
  readonly nonResourceURLs: readonly string[];
  /** What the rule is for (the role's `rule-<i>.purpose` annotation). @default - undocumented */
  readonly purpose?: string;
  /** How bad an abuse would be (the role's `rule-<i>.risk` annotation). @default - unrated */
  readonly risk?: Risk;
}

/** One ServiceAccount and how it is bound. */
export interface IdentityRow {
  readonly namespace: string;
  readonly name: string;
  /** `true`, `false`, or `unset (true)`. */
  readonly automount: string;
  /** `Role openclaw-role (namespace openclaw)`, ...; empty: no RBAC at all. */
  readonly bindings: readonly string[];
}

const BINDING_KINDS = ['ClusterRoleBinding', 'RoleBinding'];

/** Every RoleBinding and ClusterRoleBinding of the objects. */
export function bindingsOf(index: ObjectIndex): Binding[] {
  return BINDING_KINDS.flatMap((k) => index.ofKind(k)) as Binding[];
}

function subjectText(s: { kind: string; name: string; namespace?: string }, binding: Binding): string {
  return s.kind === 'ServiceAccount' ? `ServiceAccount ${s.namespace ?? binding.metadata.namespace}/${s.name}` : `${s.kind} ${s.name}`;
}

function scopeOf(binding: Binding): string {
  return binding.kind === 'ClusterRoleBinding' ? 'cluster-wide' : `namespace ${binding.metadata.namespace}`;
}

/** The Role or ClusterRole a binding references, when it is among the objects. */
export function roleOf(index: ObjectIndex, binding: Binding): KubeObject | undefined {
  const ref = binding.roleRef;
  return index.ofKind(ref.kind).find(
    (r) => r.metadata.name === ref.name && (ref.kind === 'ClusterRole' || r.metadata.namespace === binding.metadata.namespace),
  );
}

function grantRow(subject: string, scope: string, role: string, roleFound: boolean, rule: any, doc?: ReturnType<typeof ruleDoc>): GrantRow {
  return {
    ...doc,
    subject,
    scope,
    role,
    roleFound,
    apiGroups: rule.apiGroups ?? [],
    resources: rule.resources ?? [],
    verbs: rule.verbs ?? [],
    resourceNames: rule.resourceNames ?? [],
    nonResourceURLs: rule.nonResourceURLs ?? [],
  };
}

/**
 * Every rule every bound subject gets, resolved through the bindings, then the rules of roles nobody is
 * bound to; sorted by subject, scope and role.
 */
export function grantRows(index: ObjectIndex): GrantRow[] {
  const rows: GrantRow[] = [];
  for (const binding of bindingsOf(index)) {
    const role = roleOf(index, binding);
    const rules: any[] = role ? ((role as any).rules ?? []) : [{}];
    for (const s of binding.subjects ?? []) {
      rules.forEach((rule, i) => {
        rows.push(grantRow(subjectText(s, binding), scopeOf(binding), `${binding.roleRef.kind} ${binding.roleRef.name}`, role !== undefined, rule,
          role && ruleDoc(role.metadata.annotations, i)));
      });
    }
  }
  // A role nobody is bound to grants nothing today, but it is in dist/: list it, so every role has rows.
  const bound = new Set(bindingsOf(index).map((b) => `${b.roleRef.kind}/${b.roleRef.kind === 'Role' ? b.metadata.namespace : ''}/${b.roleRef.name}`));
  for (const role of [...index.ofKind('ClusterRole'), ...index.ofKind('Role')]) {
    if (bound.has(`${role.kind}/${role.metadata.namespace ?? ''}/${role.metadata.name}`)) continue;
    ((role as any).rules ?? [] as any[]).forEach((rule: any, i: number) => {
      const scope = role.metadata.namespace ? `namespace ${role.metadata.namespace}` : 'cluster-wide';
      rows.push(grantRow('nobody (not bound)', scope, `${role.kind} ${role.metadata.name}`, true, rule, ruleDoc(role.metadata.annotations, i)));
    });
  }
  // Stable sort: rules of one role keep their order.
  return sortBy(rows, (r) => [r.subject, r.scope === 'cluster-wide' ? '1' : '0', r.scope, r.role]);
}

/** Every ServiceAccount in the objects (and every one a binding names), with its bindings. */
export function identityRows(index: ObjectIndex): IdentityRow[] {
  const accounts = new Map<string, { namespace: string; name: string; object?: KubeObject }>();
  for (const sa of index.ofKind('ServiceAccount')) {
    accounts.set(`${sa.metadata.namespace}/${sa.metadata.name}`, { namespace: sa.metadata.namespace!, name: sa.metadata.name, object: sa });
  }
  const bindings = bindingsOf(index);
  for (const b of bindings) {
    for (const s of b.subjects ?? []) {
      const namespace = s.namespace ?? b.metadata.namespace;
      if (s.kind === 'ServiceAccount' && namespace && !accounts.has(`${namespace}/${s.name}`)) {
        accounts.set(`${namespace}/${s.name}`, { namespace, name: s.name });
      }
    }
  }
  const rows = [...accounts.values()].map((a) => {
    const automount = (a.object as any)?.automountServiceAccountToken;
    return {
      namespace: a.namespace,
      name: a.name,
      automount: a.object ? (automount === undefined ? 'unset (true)' : String(automount)) : 'ServiceAccount not in dist/',
      bindings: bindings
        .filter((b) => bindingReaches(b, a))
        .map((b) => `${b.roleRef.kind} ${b.roleRef.name} (${scopeOf(b)}, via ${b.kind} ${b.metadata.name})`)
        .sort(compare),
    };
  });
  return sortBy(rows, (r) => [r.namespace, r.name]);
}

/** How one guarantee fares for one ServiceAccount: holds, exempted (with the reason) or broken. */
export interface GuaranteeStatus {
  readonly guarantee: RbacGuarantee;
  readonly description: string;
  readonly serviceAccount: string;
  readonly status: 'holds' | 'exempted' | 'broken';
  /** The reason (exempted) or the offending permissions and bindings (broken). */
  readonly detail?: string;
}

/**
 * The RBAC guarantees (from the RBAC module) checked for every ServiceAccount that has RBAC, against its
 * effective permissions. A broken guarantee whose role carries the exemption annotation is `exempted`.
 */
export function guaranteeStatuses(index: ObjectIndex): GuaranteeStatus[] {
  const bindings = bindingsOf(index);
  const out: GuaranteeStatus[] = [];
  for (const id of identityRows(index).filter((r) => r.bindings.length)) {
    const sa: ServiceAccountRef = { namespace: id.namespace, name: id.name };
    const violations = checkRbacGuarantees(effectivePermissions(index.objects, sa), sa.namespace);
    const reaching = bindings.filter((b) => bindingReaches(b, sa));
    const groups = serviceAccountGroups(sa);
    const privileged = reaching
      .filter((b) => (b.roleRef.kind === 'ClusterRole' && PRIVILEGED_CLUSTER_ROLES.includes(b.roleRef.name)) ||
        (b.subjects ?? []).some((s) => s.kind === 'Group' && groups.includes(s.name)))
      .map((b) => `${b.kind} ${b.metadata.name} -> ${b.roleRef.kind} ${b.roleRef.name}`);
    const roles = reaching.map((b) => roleOf(index, b)).filter((r): r is KubeObject => r !== undefined);
    const saObject = index.ofKind('ServiceAccount').find((o) => o.metadata.namespace === sa.namespace && o.metadata.name === sa.name);
    for (const [guarantee, description] of Object.entries(RBAC_GUARANTEES) as [RbacGuarantee, string][]) {
      const breaches = guarantee === 'no-privileged-bindings'
        ? privileged
        : violations.filter((v) => v.guarantee === guarantee).map((v) => String(v.value));
      const holders = guarantee === 'no-privileged-bindings' ? (saObject ? [saObject] : []) : roles;
      const reasons = [...new Set(holders.map((o) => exemptionReason(o.metadata.annotations, `rbac.${guarantee}`)).filter(Boolean))];
      const serviceAccount = `${sa.namespace}/${sa.name}`;
      if (!breaches.length) out.push({ guarantee, description, serviceAccount, status: 'holds' });
      else if (reasons.length) out.push({ guarantee, description, serviceAccount, status: 'exempted', detail: `${reasons.join('; ')} (${[...new Set(breaches)].join(', ')})` });
      else out.push({ guarantee, description, serviceAccount, status: 'broken', detail: [...new Set(breaches)].join(', ') });
    }
  }
  return out;
}

/** The identities table (the seed's "RBAC" overview). */
export function renderRbacIdentities(index: ObjectIndex): string {
  return table(
    ['ServiceAccount', 'Token automount', 'Bound roles'],
    identityRows(index).map((r) => [code(`${r.namespace}/${r.name}`), r.automount, r.bindings.join('; ') || 'none: no Kubernetes API permissions']),
  );
}

/**
 * The grants table: per subject, each rule of each bound role with its purpose and risk (the seed's
 * "Namespace Role" and "ClusterRole"). A rule nobody documented says so instead of staying silent.
 */
export function renderRbacGrants(index: ObjectIndex): string {
  return table(
    ['Subject', 'Scope', 'Role', 'API groups', 'Resources', 'Verbs', 'Resource names', 'Purpose', 'Risk'],
    grantRows(index).map((r) => [
      r.subject,
      r.scope,
      r.roleFound ? r.role : `${r.role} (not in dist/: built-in or chart-managed)`,
      r.apiGroups.map((g) => (g === '' ? 'core' : g)).join(', '),
      [...r.resources, ...r.nonResourceURLs].join(', '),
      r.verbs.join(', '),
      r.resourceNames.join(', ') || 'all',
      r.purpose ?? (r.roleFound ? 'undocumented (no rule purpose annotation)' : '—'),
      r.risk ? riskText(r.risk) : (r.roleFound ? 'unrated' : '—'),
    ]),
  );
}

/** The guarantees table (the seed's "What the ClusterRole does NOT grant"). */
export function renderRbacGuarantees(index: ObjectIndex): string {
  const statuses = guaranteeStatuses(index);
  return table(
    ['Guarantee', 'Meaning', 'Status'],
    (Object.entries(RBAC_GUARANTEES) as [RbacGuarantee, string][]).map(([id, description]) => {
      const mine = statuses.filter((s) => s.guarantee === id);
      const status = mine.length
        ? mine.map((s) => `${s.serviceAccount}: ${s.status}${s.detail ? ` — ${s.detail}` : ''}`).join('; ')
        : 'no ServiceAccount has RBAC';
      return [code(id), description, status];
    }),
  );
}
