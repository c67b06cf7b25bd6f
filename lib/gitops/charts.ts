import { IConstruct } from 'constructs';
import { fail } from '../errors';
import { ChartValues, UncheckedValues } from '../helm/chart-values';
import { validateDnsLabel } from '../validate';

/**
 * ArgoCD's Application health check, which ArgoCD ≥ 1.8 no longer ships: without it a child Application
 * counts as healthy as soon as it exists, so the root Application would not wait between sync waves.
 * (The check documented in ArgoCD's "Resource Health" guide.)
 */
export const APPLICATION_HEALTH_LUA = [
  'hs = {}',
  'hs.status = "Progressing"',
  'hs.message = ""',
  'if obj.status ~= nil then',
  '  if obj.status.health ~= nil then',
  '    hs.status = obj.status.health.status',
  '    if obj.status.health.message ~= nil then',
  '      hs.message = obj.status.health.message',
  '    end',
  '  end',
  'end',
  'return hs',
  '',
].join('\n');

/** Settings of the argo-cd chart (7.x) that its security depends on. */
export interface ArgoCdSettings {
  /**
   * Keep ArgoCD's local `admin` account, with why. It is a password login beside any SSO: turn it off once an
   * identity provider (OIDC directly or through dex) signs people in.
   * @default - off (`admin.enabled: "false"`)
   */
  readonly localAdmin?: { readonly reason: string };
}

/** The argo-cd chart (7.x) values rendered from {@link ArgoCdSettings}. */
export interface ArgoCdValues {
  readonly crds: { readonly install: true; readonly keep: true };
  readonly configs: {
    readonly cm: {
      readonly 'admin.enabled': 'true' | 'false';
      readonly 'users.anonymous.enabled': 'false';
      readonly 'exec.enabled': 'false';
      readonly 'application.resourceTrackingMethod': 'annotation';
      readonly 'resource.customizations.health.argoproj.io_Application': string;
    };
  };
  readonly server: { readonly ingress: { readonly enabled: false }; readonly service: { readonly type: 'ClusterIP' } };
}

/**
 * Values of the argo-cd chart: the Application health check (sync waves between Applications wait),
 * annotation-based resource tracking (Helm charts set `app.kubernetes.io/instance` themselves, which
 * would confuse label tracking and with it `FailOnSharedResource`), and CRDs that are installed and kept
 * when the chart goes away (deleting the Application CRD would delete every Application). Set whatever the
 * chart version defaults to, so an upgrade cannot change them unseen: no anonymous access, no exec into pods
 * from the UI, no chart-made Ingress, a ClusterIP server Service; the local admin only with a reason.
 */
export function argoCdValues(settings: ArgoCdSettings = {}, unchecked?: UncheckedValues): ChartValues {
  const values: ArgoCdValues = {
    crds: { install: true, keep: true },
    configs: {
      cm: {
        'admin.enabled': settings.localAdmin ? 'true' : 'false',
        'users.anonymous.enabled': 'false',
        'exec.enabled': 'false',
        'application.resourceTrackingMethod': 'annotation',
        'resource.customizations.health.argoproj.io_Application': APPLICATION_HEALTH_LUA,
      },
    },
    server: { ingress: { enabled: false }, service: { type: 'ClusterIP' } },
  };
  // argocd-cm takes any key: the chart copies configs.cm into the ConfigMap as is.
  return new ChartValues({
    typed: values,
    unchecked,
    openMaps: ['configs.cm'],
    exemptions: settings.localAdmin ? { 'local-admin': settings.localAdmin.reason } : undefined,
  });
}

/** The external-secrets chart (0.x) values the baseline depends on. */
export interface ExternalSecretsValues {
  /** The chart installs the CRDs (ClusterSecretStore, ExternalSecret) that dist/ uses. */
  readonly installCRDs: true;
}

/** Values of the external-secrets chart: it installs the CRDs that dist/'s store and ExternalSecrets use. */
export function externalSecretsValues(unchecked?: UncheckedValues): ChartValues {
  const values: ExternalSecretsValues = { installCRDs: true };
  return new ChartValues({ typed: values, unchecked });
}

/** How Trivy scan jobs get the vulnerability database. */
export enum TrivyMode {
  /** Every scan job downloads and caches the database itself. */
  STANDALONE = 'Standalone',
  /** Scan jobs query a Trivy server that keeps one copy of the database. */
  CLIENT_SERVER = 'ClientServer',
}

/** Settings of the trivy-operator chart that the vulnerability scanning baseline depends on. */
export interface TrivyOperatorSettings {
  /**
   * How scan jobs get the vulnerability database.
   * @default TrivyMode.CLIENT_SERVER
   */
  readonly mode?: TrivyMode;
  /**
   * Run the chart's built-in Trivy server (a StatefulSet keeping the database on a volume). Required in
   * ClientServer mode here: an external server URL is not supported.
   * @default true
   */
  readonly builtInServer?: boolean;
  /** The most scan jobs running at once (`operator.scanJobsConcurrentLimit`). */
  readonly scanJobsConcurrentLimit: number;
  /**
   * Namespaces never scanned, e.g. one running a locally built image that no registry serves.
   * @default - none
   */
  readonly excludeNamespaces?: readonly string[];
}

/** The trivy-operator chart (0.x) values rendered from {@link TrivyOperatorSettings}. */
export interface TrivyOperatorValues {
  /**
   * The excluded namespaces, comma-separated and sorted, as the chart reads them.
   * @default - absent: every namespace is scanned
   */
  readonly excludeNamespaces?: string;
  readonly operator: { readonly builtInTrivyServer: boolean; readonly scanJobsConcurrentLimit: number };
  readonly trivy: { readonly mode: TrivyMode };
}

/** Values of the trivy-operator chart, checked against the Application that installs it. */
export function trivyOperatorValues(settings: TrivyOperatorSettings, unchecked?: UncheckedValues): ChartValues {
  return new ChartValues({ typed: (scope) => renderTrivy(scope, settings), unchecked });
}

function renderTrivy(scope: IConstruct, s: TrivyOperatorSettings): TrivyOperatorValues {
  const mode = s.mode ?? TrivyMode.CLIENT_SERVER;
  const builtInServer = s.builtInServer ?? true;
  if (builtInServer !== (mode === TrivyMode.CLIENT_SERVER)) {
    fail(scope, {
      problem: 'Trivy mode and built-in server disagree',
      value: { mode, builtInServer },
      allowed: 'ClientServer with the built-in server, or Standalone without it',
      fix: 'use mode: TrivyMode.CLIENT_SERVER with builtInServer: true (one shared vulnerability database)',
    });
  }
  if (!Number.isInteger(s.scanJobsConcurrentLimit) || s.scanJobsConcurrentLimit < 1) {
    fail(scope, {
      problem: 'invalid scanJobsConcurrentLimit',
      value: s.scanJobsConcurrentLimit,
      allowed: 'a whole number of at least 1',
      fix: 'set how many scan jobs may run at once, e.g. 3',
    });
  }
  const excluded = (s.excludeNamespaces ?? []).map((n) => validateDnsLabel(scope, 'excluded namespace', n));
  return {
    ...(excluded.length ? { excludeNamespaces: [...excluded].sort().join(',') } : {}),
    operator: { builtInTrivyServer: builtInServer, scanJobsConcurrentLimit: s.scanJobsConcurrentLimit },
    trivy: { mode },
  };
}

/** Settings of the authentik chart (2025.x) that its security depends on. */
export interface AuthentikSettings {
  /**
   * The Secret (created by an ExternalSecret) holding AUTHENTIK_SECRET_KEY and the bootstrap and
   * database credentials: the chart then renders no Secret of its own.
   */
  readonly existingSecret: string;
  /**
   * The non-root user server and worker run as (the authentik image's own user).
   * @default 1000
   */
  readonly runAsUser?: number;
}

/** The authentik chart values rendered from {@link AuthentikSettings}. */
export interface AuthentikValues {
  readonly authentik: { readonly existingSecret: { readonly secretName: string } };
  readonly global: {
    readonly securityContext: { readonly runAsNonRoot: true; readonly runAsUser: number; readonly runAsGroup: number; readonly seccompProfile: { readonly type: 'RuntimeDefault' } };
  };
  readonly server: { readonly containerSecurityContext: ContainerHardening };
  readonly worker: { readonly containerSecurityContext: ContainerHardening };
}

/** The container-level hardening a chart lets us set. */
export interface ContainerHardening {
  readonly allowPrivilegeEscalation: false;
  readonly capabilities: { readonly drop: readonly ['ALL'] };
}

/**
 * Values of the authentik chart: credentials from the ExternalSecret-made Secret (no chart Secret with
 * values), and server and worker non-root with seccomp RuntimeDefault, no privilege escalation and no
 * capabilities, which the chart leaves unset by default.
 */
export function authentikValues(settings: AuthentikSettings, unchecked?: UncheckedValues): ChartValues {
  return new ChartValues({
    typed: (scope: IConstruct): AuthentikValues => {
      const uid = settings.runAsUser ?? 1000;
      if (!Number.isInteger(uid) || uid < 1) {
        fail(scope, { problem: 'invalid runAsUser', value: uid, allowed: 'a non-root user id (a whole number ≥ 1)', fix: 'use the image\'s own user, 1000' });
      }
      const container: ContainerHardening = { allowPrivilegeEscalation: false, capabilities: { drop: ['ALL'] } };
      return {
        authentik: { existingSecret: { secretName: validateDnsLabel(scope, 'authentik existingSecret', settings.existingSecret) } },
        global: { securityContext: { runAsNonRoot: true, runAsUser: uid, runAsGroup: uid, seccompProfile: { type: 'RuntimeDefault' } } },
        server: { containerSecurityContext: container },
        worker: { containerSecurityContext: container },
      };
    },
    unchecked,
  });
}
