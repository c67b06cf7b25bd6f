import { ApiObject, Lazy } from 'cdk8s';
import { Construct, IConstruct } from 'constructs';
import {
  KubeClusterRole,
  KubeClusterRoleBinding,
  KubeRole,
  KubeRoleBinding,
  KubeServiceAccount,
  PolicyRule,
} from 'cdk8s-plus-28/lib/imports/k8s';
import { exemptionAnnotation, ruleDocAnnotations } from '../annotations';
import { BaselineError, Problem, fail } from '../errors';
import { HardenedNamespace, namespaceName } from '../hardened-namespace';
import { validateRiskLevel } from '../risk-level';
import { validateDnsLabel, validateDnsSubdomain, validatePurpose, validateReason } from '../validate';
import {
  ApiGroup,
  Exemptions,
  Grant,
  GrantOptions,
  READ_VERBS,
  RbacGuarantee,
  RbacScope,
  Resource,
  RuleGuarantee,
  VERBS,
  Verb,
} from './grant';
import { RBAC_GUARANTEES, checkAgentBindings, checkRbacGuarantees } from './guarantees';
import { Binding, Permission, ServiceAccountRef, expandRule, permissionKey, serviceAccountGroups } from './permission';

/** Props of {@link AgentRbac}. */
export interface AgentRbacProps {
  /** The ServiceAccount name (`metadata.name`), a DNS-1123 label. */
  readonly name: string;
  /** The agent's own namespace: its ServiceAccount, Role and RoleBinding live there. */
  readonly namespace: HardenedNamespace | string;
  /**
   * Whether pods running as this ServiceAccount get its API token mounted. Required, because the choice
   * matters: an agent that calls the Kubernetes API needs `true`; anything else should say `false`.
   */
  readonly automountServiceAccountToken: boolean;
  /**
   * The Role's name (in the agent's namespace).
   * @default `${name}-role`
   */
  readonly roleName?: string;
  /**
   * The RoleBinding's name.
   * @default `${roleName}-binding`
   */
  readonly roleBindingName?: string;
  /**
   * The ClusterRole's name. Cluster-wide, so the default carries the namespace.
   * @default `${namespace}-${name}`
   */
  readonly clusterRoleName?: string;
  /**
   * The ClusterRoleBinding's name.
   * @default `${clusterRoleName}-binding`
   */
  readonly clusterRoleBindingName?: string;
  /**
   * Lets bindings outside this construct reach the agent (guarantee `no-privileged-bindings`), with a
   * written reason emitted as `baseline.homelab.dev/exemption.rbac.no-privileged-bindings` on the
   * ServiceAccount. Rule guarantees are exempted per grant instead ({@link GrantOptions.exemptions}).
   * @default - none: only this construct's own two bindings may reach the agent
   */
  readonly exemptions?: Exemptions<'no-privileged-bindings'>;
}

/** Workloads `kubectl rollout restart|undo` patches. */
const RESTARTABLE = ['deployments', 'statefulsets', 'daemonsets'];
/** Workloads with a `scale` subresource. */
const SCALABLE = ['deployments', 'statefulsets', 'replicasets'];
const RESOURCE_NAME = /^([a-z][a-z0-9]*|\*)$/;
const SUBRESOURCE_NAME = /^[a-z]+$/;

/**
 * The Kubernetes identity of an AI agent: its ServiceAccount, a Role + RoleBinding in its own namespace
 * and a ClusterRole + ClusterRoleBinding, built from typed grants. Every grant goes through
 * {@link allow}, which enforces the RBAC guarantees (see `RBAC_GUARANTEES`) unless the grant carries a
 * named exemption with a written reason. The Role and ClusterRole (and their bindings) exist only once
 * a grant needs them. Bindings elsewhere in the app that reach the agent fail synth too.
 */
export class AgentRbac extends Construct {
  /** The agent's namespace. */
  public readonly namespace: string;
  /** The ServiceAccount's name. */
  public readonly serviceAccountName: string;
  /** The names of the Role, RoleBinding, ClusterRole and ClusterRoleBinding (created on first grant of their scope). */
  public readonly roleName: string;
  public readonly roleBindingName: string;
  public readonly clusterRoleName: string;
  public readonly clusterRoleBindingName: string;
  /** The ServiceAccount object. */
  public readonly serviceAccount: KubeServiceAccount;

  private readonly grantList: Grant[] = [];
  private readonly granted = new Map<string, number>();
  private readonly roles = new Map<RbacScope, ApiObject>();
  private readonly bindings: ApiObject[] = [];
  private readonly exemptionReasons = new Map<string, Set<string>>();
  private readonly bindingExemption?: string;

  constructor(scope: Construct, id: string, props: AgentRbacProps) {
    super(scope, id);
    this.namespace = namespaceName(this, props.namespace);
    this.serviceAccountName = validateDnsLabel(this, 'ServiceAccount name', props.name);
    this.roleName = validateDnsSubdomain(this, 'Role name', props.roleName ?? `${props.name}-role`);
    this.roleBindingName = validateDnsSubdomain(this, 'RoleBinding name', props.roleBindingName ?? `${this.roleName}-binding`);
    this.clusterRoleName = validateDnsSubdomain(this, 'ClusterRole name', props.clusterRoleName ?? `${this.namespace}-${props.name}`);
    this.clusterRoleBindingName = validateDnsSubdomain(
      this,
      'ClusterRoleBinding name',
      props.clusterRoleBindingName ?? `${this.clusterRoleName}-binding`,
    );
    if (typeof props.automountServiceAccountToken !== 'boolean') {
      fail(this, {
        problem: 'automountServiceAccountToken must be explicit',
        value: props.automountServiceAccountToken,
        allowed: 'true (the agent calls the Kubernetes API) or false',
        fix: 'set automountServiceAccountToken: true only if the agent uses the API',
      });
    }
    for (const key of Object.keys(props.exemptions ?? {})) {
      if (key !== 'no-privileged-bindings') {
        fail(this, {
          problem: 'unknown agent-wide exemption',
          value: key,
          allowed: '"no-privileged-bindings"; rule guarantees are exempted per grant (GrantOptions.exemptions)',
          fix: 'move the exemption to the grant that needs it',
        });
      }
    }
    const bindingReason = props.exemptions?.['no-privileged-bindings'];
    if (bindingReason !== undefined) {
      this.bindingExemption = validateReason(this, 'exemption from RBAC guarantee "no-privileged-bindings"', bindingReason);
    }
    this.serviceAccount = new KubeServiceAccount(this, 'ServiceAccount', {
      metadata: {
        name: this.serviceAccountName,
        namespace: this.namespace,
        annotations: this.bindingExemption
          ? { [exemptionAnnotation('rbac.no-privileged-bindings')]: this.bindingExemption }
          : undefined,
      },
      automountServiceAccountToken: props.automountServiceAccountToken,
    });
    AgentRbac.validateTreeOnce(this.node.root);
  }

  /** Every grant, in the order added. */
  public get grants(): readonly Grant[] {
    return [...this.grantList];
  }

  /** The atomic permissions the grants give the agent, sorted (compare with `effectivePermissions`). */
  public get permissions(): Permission[] {
    return this.grantList
      .flatMap((g) => this.expand(g))
      .sort((a, b) => (permissionKey(a) < permissionKey(b) ? -1 : 1));
  }

  /** Read (`get`, `list`, `watch`): `kubectl get`, `describe`, `logs` (with `pods/log`). */
  public grantRead(scope: RbacScope, resources: readonly Resource[], options: GrantOptions): Grant {
    return this.allow(scope, READ_VERBS, resources, options);
  }

  /** `patch` on workloads: `kubectl rollout restart` (an annotation on the pod template) and `rollout undo`. */
  public grantRestart(scope: RbacScope, workloads: readonly Resource[], options: GrantOptions): Grant {
    this.requireApps('restart', workloads, RESTARTABLE);
    return this.allow(scope, ['patch'], workloads, options);
  }

  /** `get` and `patch` on the workloads' `scale` subresource: `kubectl scale`. */
  public grantScale(scope: RbacScope, workloads: readonly Resource[], options: GrantOptions): Grant {
    this.requireApps('scale', workloads, SCALABLE);
    return this.allow(scope, ['get', 'patch'], workloads.map((w) => w.sub('scale')), options);
  }

  /** `patch`: annotate objects (troubleshooting notes, force-sync and hard-refresh annotations). */
  public grantAnnotate(scope: RbacScope, resources: readonly Resource[], options: GrantOptions): Grant {
    return this.allow(scope, ['patch'], resources, options);
  }

  /** `delete`: remove stuck objects (the guarantees allow it on pods only). */
  public grantDelete(scope: RbacScope, resources: readonly Resource[], options: GrantOptions): Grant {
    return this.allow(scope, ['delete'], resources, options);
  }

  /** `create` on `pods/exec`: `kubectl exec` (the guarantees allow it in the agent's own namespace only). */
  public grantExec(scope: RbacScope, options: GrantOptions): Grant {
    return this.allow(scope, ['create'], [Resource.core('pods').sub('exec')], options);
  }

  /**
   * The primitive under every helper: allows `verbs` on `resources` at `scope`. Renders one PolicyRule
   * per API group, documented by the grant's purpose and risk (annotations on the role). Refuses unknown
   * verbs or malformed resources, a grant without a purpose or risk level, a grant that breaks a guarantee
   * without an exemption for it, an exemption the grant does not need, and a permission granted twice.
   */
  public allow(scope: RbacScope, verbs: readonly Verb[], resources: readonly Resource[], options: GrantOptions): Grant {
    if (scope !== 'namespace' && scope !== 'cluster') {
      fail(this, {
        problem: 'unknown RBAC scope',
        value: scope,
        allowed: '"namespace" (the Role, own namespace only) or "cluster" (the ClusterRole)',
        fix: 'pass "namespace" unless the agent needs the permission in other namespaces',
      });
    }
    options ??= {} as GrantOptions; // plain JS callers: fail on the missing purpose, not on a TypeError
    this.validateInput(verbs, resources, options.resourceNames);
    const { purpose, risk } = this.validateDocs(verbs, resources, options);
    const exemptions = this.validateExemptions(options.exemptions ?? {});
    const grant: Grant = {
      scope,
      verbs: [...verbs],
      resources: [...resources],
      ...(options.resourceNames ? { resourceNames: [...options.resourceNames] } : {}),
      exemptions,
      purpose,
      risk,
    };
    const permissions = this.expand(grant);
    const violations = checkRbacGuarantees(permissions, this.namespace);
    const unexempted = violations.find((v) => !(v.guarantee in exemptions));
    if (unexempted) fail(this, unexempted);
    for (const id of Object.keys(exemptions)) {
      if (!violations.some((v) => v.guarantee === id)) {
        fail(this, {
          problem: 'exemption the grant does not need',
          value: id,
          allowed: `exemptions only for guarantees the grant breaks (${[...new Set(violations.map((v) => v.guarantee))].join(', ') || 'none'})`,
          fix: 'remove the exemption',
        });
      }
    }
    for (const p of permissions) {
      const key = permissionKey(p);
      const earlier = this.granted.get(key);
      if (earlier !== undefined) {
        fail(this, {
          problem: 'permission granted twice',
          value: key,
          allowed: 'each verb on each resource at most once per scope',
          fix: `remove it from this grant: grant #${earlier + 1} already allows it`,
        });
      }
    }
    permissions.forEach((p) => this.granted.set(permissionKey(p), this.grantList.length));
    // The grant's rules follow the rules of the earlier grants of its scope: their indexes are final.
    const first = this.rules(scope).length;
    this.grantList.push(grant);
    const role = this.role(scope);
    for (const [key, value] of Object.entries(ruleDocAnnotations(first, renderRules(grant).length, purpose, risk))) {
      role.metadata.addAnnotation(key, value);
    }
    for (const [id, reason] of Object.entries(exemptions)) this.recordExemption(role, scope, id, reason);
    return grant;
  }

  private expand(grant: Grant): Permission[] {
    return renderRules(grant).flatMap((r) => expandRule(r, grant.scope, this.namespace));
  }

  private rules(scope: RbacScope): PolicyRule[] {
    return this.grantList.filter((g) => g.scope === scope).flatMap(renderRules);
  }

  /** The Role (namespace) or ClusterRole (cluster) and its binding, created on first use. */
  private role(scope: RbacScope): ApiObject {
    const existing = this.roles.get(scope);
    if (existing) return existing;
    const rules = Lazy.any({ produce: () => this.rules(scope) });
    const subjects = [{ kind: 'ServiceAccount', name: this.serviceAccountName, namespace: this.namespace }];
    let role: ApiObject;
    if (scope === 'namespace') {
      role = new KubeRole(this, 'Role', { metadata: { name: this.roleName, namespace: this.namespace }, rules });
      this.bindings.push(new KubeRoleBinding(this, 'RoleBinding', {
        metadata: { name: this.roleBindingName, namespace: this.namespace },
        roleRef: { apiGroup: ApiGroup.RBAC.name, kind: 'Role', name: this.roleName },
        subjects,
      }));
    } else {
      role = new KubeClusterRole(this, 'ClusterRole', { metadata: { name: this.clusterRoleName }, rules });
      this.bindings.push(new KubeClusterRoleBinding(this, 'ClusterRoleBinding', {
        metadata: { name: this.clusterRoleBindingName },
        roleRef: { apiGroup: ApiGroup.RBAC.name, kind: 'ClusterRole', name: this.clusterRoleName },
        subjects,
      }));
    }
    this.roles.set(scope, role);
    return role;
  }

  /** One annotation per guarantee and role; several grants with different reasons list them all. */
  private recordExemption(role: ApiObject, scope: RbacScope, id: string, reason: string): void {
    const key = `${scope}/${id}`;
    const reasons = this.exemptionReasons.get(key) ?? new Set<string>();
    reasons.add(reason);
    this.exemptionReasons.set(key, reasons);
    role.metadata.addAnnotation(exemptionAnnotation(`rbac.${id}`), [...reasons].join('; '));
  }

  private validateInput(verbs: readonly Verb[], resources: readonly Resource[], resourceNames?: readonly string[]): void {
    if (!verbs.length || !resources.length) {
      fail(this, {
        problem: 'grant without verbs or resources',
        value: { verbs, resources: resources.map(String) },
        allowed: 'one or more verbs and one or more resources',
        fix: 'name what the agent does on what, e.g. grantRead("cluster", [Resource.core("pods")])',
      });
    }
    for (const verb of verbs) {
      if (!VERBS.includes(verb)) {
        fail(this, {
          problem: 'unknown RBAC verb',
          value: verb,
          allowed: VERBS.join(', '),
          fix: 'use a Kubernetes verb, e.g. "get"',
        });
      }
    }
    for (const r of resources) {
      const group = r.group.name;
      if (!(group === '' || group === '*' || /^[a-z0-9]([-a-z0-9.]*[a-z0-9])?$/.test(group))) {
        fail(this, {
          problem: 'invalid API group',
          value: group,
          allowed: 'an API group name such as "apps" or "argoproj.io" ("" is the core group)',
          fix: 'use an ApiGroup constant or ApiGroup.of("<group>")',
        });
      }
      if (!RESOURCE_NAME.test(r.name) || (r.subresource !== undefined && !SUBRESOURCE_NAME.test(r.subresource))) {
        fail(this, {
          problem: 'invalid resource',
          value: r.toString(),
          allowed: 'a lower-case plural resource name (as in `kubectl api-resources`), optionally with a subresource',
          fix: 'use a typed factory, e.g. Resource.core("pods").sub("log")',
        });
      }
    }
    for (const name of resourceNames ?? []) validateDnsSubdomain(this, 'resourceName', name);
  }

  /** A grant says what it is for and how bad its abuse would be: the report's grants table shows both. */
  private validateDocs(verbs: readonly Verb[], resources: readonly Resource[], options: GrantOptions): Pick<Grant, 'purpose' | 'risk'> {
    const what = `grant of ${verbs.join(', ')} on ${resources.map(String).join(', ')}`;
    const purpose = validatePurpose(this, what, options.purpose, 'Rollout restart (annotation), rollout undo');
    const level = validateRiskLevel(this, what, options.risk?.level);
    const note = options.risk.note?.trim();
    return { purpose, risk: note ? { level, note } : { level } };
  }

  private validateExemptions(exemptions: Exemptions<RuleGuarantee>): Exemptions<RuleGuarantee> {
    const out: Exemptions<RuleGuarantee> = {};
    for (const [id, reason] of Object.entries(exemptions) as [RbacGuarantee, string][]) {
      if (!(id in RBAC_GUARANTEES) || id === 'no-privileged-bindings') {
        fail(this, {
          problem: 'unknown grant exemption',
          value: id,
          allowed: Object.keys(RBAC_GUARANTEES).filter((g) => g !== 'no-privileged-bindings').join(', '),
          fix: id === 'no-privileged-bindings' ? 'exempt bindings in AgentRbacProps.exemptions' : 'name the guarantee the grant breaks',
        });
      }
      out[id as RuleGuarantee] = validateReason(this, `exemption from RBAC guarantee "${id}"`, reason);
    }
    return out;
  }

  private requireApps(intent: string, workloads: readonly Resource[], kinds: readonly string[]): void {
    for (const w of workloads) {
      if (w.group.name !== ApiGroup.APPS.name || w.subresource !== undefined || !kinds.includes(w.name)) {
        fail(this, {
          problem: `${intent} applies to workloads only`,
          value: w.toString(),
          allowed: kinds.map((k) => `Resource.apps("${k}")`).join(', '),
          fix: `pass the workload resources; use allow() for anything else`,
        });
      }
    }
  }

  /** Registers {@link validateTree} on the tree's root, once however many agents the tree holds. */
  private static validateTreeOnce(root: IConstruct): void {
    if (validatedTrees.has(root)) return;
    validatedTrees.add(root);
    root.node.addValidation({ validate: () => AgentRbac.validateTree(root) });
  }

  /**
   * Guarantee `no-privileged-bindings` for every agent of the tree: one walk that renders each binding once,
   * instead of a walk per agent (quadratic in the number of agents). The root has no path for the synth to
   * put before a message, so each message names the agent whose guarantee is broken.
   */
  private static validateTree(root: IConstruct): string[] {
    const agents: AgentRbac[] = [];
    const bindings = new BindingIndex();
    for (const c of root.node.findAll()) {
      if (c instanceof AgentRbac) agents.push(c);
      else if (ApiObject.isApiObject(c) && (c.kind === 'RoleBinding' || c.kind === 'ClusterRoleBinding')) bindings.add(c);
    }
    return agents.flatMap((a) => a.foreignBindingProblems(bindings).map((p) => new BaselineError(a, p).message));
  }

  /** Nothing but this construct's own bindings may reach the agent, unless exempted. */
  private foreignBindingProblems(bindings: BindingIndex): Problem[] {
    const sa = { namespace: this.namespace, name: this.serviceAccountName };
    const problems = bindings.reaching(sa).filter((b) => !this.bindings.includes(b.object)).flatMap(({ path, binding }) =>
      checkAgentBindings([binding], sa).map((v) => ({ ...v, problem: `${v.problem} (construct ${path})` })));
    if (this.bindingExemption !== undefined) {
      return problems.length ? [] : [{
        problem: 'exemption the agent does not need',
        value: 'no-privileged-bindings',
        allowed: 'the exemption only while a binding outside this construct reaches the agent',
        fix: 'remove AgentRbacProps.exemptions["no-privileged-bindings"]',
      }];
    }
    return problems;
  }
}

/** One PolicyRule per API group of the grant, resources in the order given. */
function renderRules(grant: Grant): PolicyRule[] {
  const byGroup = new Map<string, string[]>();
  for (const r of grant.resources) byGroup.set(r.group.name, [...(byGroup.get(r.group.name) ?? []), r.path]);
  return [...byGroup].map(([group, resources]) => ({
    apiGroups: [group],
    resources,
    verbs: [...grant.verbs],
    ...(grant.resourceNames ? { resourceNames: [...grant.resourceNames] } : {}),
  }));
}

/** The roots whose tree validation {@link AgentRbac} registered. */
const validatedTrees = new WeakSet<IConstruct>();

interface IndexedBinding {
  readonly object: ApiObject;
  readonly path: string;
  readonly binding: Binding;
  /** Position in the tree, so messages keep the tree's order. */
  readonly order: number;
}

/** A tree's bindings by subject (`ServiceAccount ns/name`, `User x`, `Group x`), each rendered once. */
class BindingIndex {
  private readonly bySubject = new Map<string, IndexedBinding[]>();
  private count = 0;

  public add(object: ApiObject): void {
    const entry = { object, path: object.node.path, binding: object.toJson() as Binding, order: this.count++ };
    for (const s of entry.binding.subjects ?? []) {
      const key = `${s.kind} ${s.kind === 'ServiceAccount' ? `${s.namespace ?? entry.binding.metadata.namespace}/` : ''}${s.name}`;
      const list = this.bySubject.get(key) ?? [];
      if (list[list.length - 1] !== entry) list.push(entry);
      this.bySubject.set(key, list);
    }
  }

  /** The bindings whose subjects may reach `sa` (checkAgentBindings decides exactly), in tree order. */
  public reaching(sa: ServiceAccountRef): IndexedBinding[] {
    const keys = [
      `ServiceAccount ${sa.namespace}/${sa.name}`,
      `User system:serviceaccount:${sa.namespace}:${sa.name}`,
      ...serviceAccountGroups(sa).map((g) => `Group ${g}`),
    ];
    return [...new Set(keys.flatMap((k) => this.bySubject.get(k) ?? []))].sort((a, b) => a.order - b.order);
  }
}
