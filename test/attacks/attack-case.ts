/**
 * One attack of the corpus: a small change applied to a temporary copy of the repository, and the gate that
 * must stop it. Case files live in test/attacks/cases/<class>.ts and export `CASES: AttackCase[]`.
 */
export interface AttackCase {
  /** Stable id, unique across the corpus, e.g. 'pod-apparmor-unconfined'. */
  readonly id: string;
  /** The class of weakening (issue 16's list), e.g. 'service-exposure', 'pod-security', 'network-policy'. */
  readonly class: string;
  /** What the change does, in one line. */
  readonly description: string;
  /**
   * The change: literal text replacements in files of the copy (homelab/*.ts, lib/**.ts or dist/**), applied in
   * order; each `find` must occur in its file (the runner fails the case otherwise, so a stale case is loud).
   */
  readonly edits: readonly AttackEdit[];
  /** The gate that must stop it: 'synth' (synth fails) or 'diff' (`npm run diff` exits 2 against the unchanged base). */
  readonly stoppedBy: 'synth' | 'diff';
}

/** A literal text replacement in one file of the temporary copy. */
export interface AttackEdit {
  /** Path relative to the repository root. */
  readonly file: string;
  /** Text that must occur in the file; its first occurrence is replaced. */
  readonly find: string;
  readonly replace: string;
}
