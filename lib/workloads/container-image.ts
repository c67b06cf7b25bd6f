import { IConstruct } from 'constructs';
import { fail } from '../errors';
import { isPinned } from '../image-reference';
import { RiskLevel } from '../risk-level';
import { validateReason } from '../validate';
import type { Exemption } from './volume';

/** When the kubelet pulls the image, as in `imagePullPolicy`. */
export enum ImagePullPolicy {
  IF_NOT_PRESENT = 'IfNotPresent',
  NEVER = 'Never',
}

// name[:tag][@sha256:<64 hex>]; the tag is whatever follows the last ':' after the last '/'
// (a ':' before that belongs to a registry port, e.g. localhost:5000/app).
const REFERENCE = /^[a-z0-9]+(?:[._\-/:][a-z0-9]+)*(?::[\w][\w.-]{0,127})?(?:@sha256:[a-f0-9]{64})?$/;

/**
 * A container image reference and where it comes from. A registry image must be pinned (a tag other than
 * `latest`, or a digest); a locally built image is never pulled and may be unpinned only with a reason.
 * Factories never throw: the workload that uses the image validates it, so the error names its path.
 */
export class ContainerImage {
  /** An image pulled from a registry, pinned by tag (not `latest`) or by digest. */
  public static fromRegistry(reference: string): ContainerImage {
    return new ContainerImage(reference, ImagePullPolicy.IF_NOT_PRESENT);
  }

  /**
   * An image built on the node itself (`imagePullPolicy: Never`): nothing is ever pulled, so a registry
   * cannot swap it, but its tag says nothing about its content. An unpinned tag needs `reason`, emitted as
   * the annotation `baseline.homelab.dev/exemption.unpinned-image` (entry `<container>: <reason>`).
   */
  public static localBuild(reference: string, options: Partial<Exemption> = {}): ContainerImage {
    return new ContainerImage(reference, ImagePullPolicy.NEVER, options.reason, options.severity);
  }

  private constructor(
    /** The image reference as written in the pod spec. */
    public readonly reference: string,
    /** The pull policy the workload renders. */
    public readonly pullPolicy: ImagePullPolicy,
    /** Why an unpinned local build is acceptable. */
    public readonly reason?: string,
    /** The risk level of the unpinned tag's exemption. @default - unrated */
    public readonly severity?: RiskLevel,
  ) {}
}

/**
 * Validates `image` for `scope` and returns the reason of its exemption, if it needs one: an unpinned
 * registry image always fails (the registry decides what runs); an unpinned local build needs a reason.
 */
export function validateImage(scope: IConstruct, image: ContainerImage): string | undefined {
  if (typeof image?.reference !== 'string' || !REFERENCE.test(image.reference)) {
    fail(scope, {
      problem: 'invalid image reference',
      value: image?.reference,
      allowed: 'a lower-case image name with a tag or digest, e.g. "nginxinc/nginx-unprivileged:1.27.3-alpine"',
      fix: 'write the full reference as `docker pull` would accept it',
    });
  }
  if (isPinned(image.reference)) return undefined;
  if (image.pullPolicy !== ImagePullPolicy.NEVER) {
    fail(scope, {
      problem: 'image is not pinned',
      value: image.reference,
      allowed: 'a tag other than "latest" or a digest (@sha256:...)',
      fix: 'pin the version, e.g. ContainerImage.fromRegistry("repo/app:1.2.3"), or use ContainerImage.localBuild() for an image built on the node',
    });
  }
  return validateReason(scope, `unpinned local image ${JSON.stringify(image.reference)}`, image.reason);
}
