import * as fs from 'fs';
import * as path from 'path';
import { Construct } from 'constructs';
import { KeyToPath, KubeConfigMap } from 'cdk8s-plus-28/lib/imports/k8s';
import { fail } from '../errors';
import { namespaceName } from '../hardened-namespace';
import { Labels } from '../network/peer';
import { validateDnsSubdomain, validateLabels } from '../validate';
import { Volume } from './volume';

/** The most a ConfigMap may hold (etcd's object limit): keys plus values, binary ones base64-encoded. */
export const MAX_CONFIG_MAP_BYTES = 1024 * 1024;

/** Props of {@link DirectoryConfigMap}. */
export interface DirectoryConfigMapProps {
  /** The ConfigMap name. */
  readonly name: string;
  /** The namespace. */
  readonly namespace: string;
  /** The local folder read at synth (relative to the working directory, or absolute). */
  readonly directory: string;
  /**
   * Include files and folders whose name starts with "." (`.git`, `.DS_Store`, editor swap files).
   * @default false (they differ between machines and would make synth non-deterministic)
   */
  readonly includeHidden?: boolean;
  /**
   * Labels of the ConfigMap.
   * @default - none
   */
  readonly labels?: Labels;
}

const KEY = /^[-._a-zA-Z0-9]+$/;
const SEPARATOR = '__';

/**
 * A ConfigMap holding every file of a local folder, read at synth: the way to give a pod a folder of
 * configuration without a hostPath volume. Subfolders are flattened into keys (`a/b.md` → `a__b.md`) and
 * restored by the volume's `items`, so the mount shows the same tree. Files are read in a fixed order;
 * text files go to `data`, others to `binaryData`. A missing or empty folder, a symbolic link, a name that
 * cannot be a key, two paths mapping to one key, or more than 1 MiB fail synth.
 */
export class DirectoryConfigMap extends Construct {
  /** The ConfigMap name. */
  public readonly name: string;
  /** Key → relative path of every file, sorted by path: the volume's `items`. */
  public readonly items: readonly KeyToPath[];
  /** Bytes the ConfigMap holds (keys plus encoded values). */
  public readonly size: number;
  /** The underlying ConfigMap. */
  public readonly apiObject: KubeConfigMap;

  constructor(scope: Construct, id: string, props: DirectoryConfigMapProps) {
    super(scope, id);
    this.name = validateDnsSubdomain(this, 'ConfigMap name', props.name);
    const namespace = namespaceName(this, props.namespace);
    validateLabels(this, 'label', props.labels);
    const root = props.directory;
    if (typeof root !== 'string' || !fs.existsSync(root) || !fs.statSync(root).isDirectory()) {
      fail(this, {
        problem: 'ConfigMap source folder does not exist',
        value: root,
        allowed: 'an existing local folder (relative paths are read from the working directory)',
        fix: `create the folder or fix the path (working directory: ${process.cwd()})`,
      });
    }
    const data: Record<string, string> = {};
    const binaryData: Record<string, string> = {};
    const items: KeyToPath[] = [];
    const keyOwner = new Map<string, string>();
    let size = 0;
    for (const rel of this.files(root, '', props.includeHidden ?? false)) {
      const key = rel.split('/').join(SEPARATOR);
      if (!KEY.test(key) || key.length > 253) {
        fail(this, {
          problem: 'file name cannot be a ConfigMap key',
          value: rel,
          allowed: 'file and folder names of letters, digits, "-", "_" and "." (at most 253 characters in all)',
          fix: 'rename the file, or keep it out of the folder',
        });
      }
      const other = keyOwner.get(key);
      if (other) {
        fail(this, {
          problem: `two files map to the ConfigMap key "${key}"`,
          value: [other, rel],
          allowed: `paths that stay distinct when "/" becomes "${SEPARATOR}"`,
          fix: `rename one of them (avoid "${SEPARATOR}" in names)`,
        });
      }
      keyOwner.set(key, rel);
      const bytes = fs.readFileSync(path.join(root, rel));
      const text = asText(bytes);
      if (text === undefined) binaryData[key] = bytes.toString('base64');
      else data[key] = text;
      size += key.length + (text === undefined ? binaryData[key].length : bytes.length);
      items.push({ key, path: rel });
    }
    if (!items.length) {
      fail(this, {
        problem: 'ConfigMap source folder has no files',
        value: root,
        allowed: 'a folder with at least one (non-hidden) file',
        fix: 'add the files, or fix the path',
      });
    }
    if (size > MAX_CONFIG_MAP_BYTES) {
      fail(this, {
        problem: 'folder too large for one ConfigMap',
        value: `${root}: ${size} bytes`,
        allowed: `at most ${MAX_CONFIG_MAP_BYTES} bytes (1 MiB) of keys and values`,
        fix: 'split the folder into several ConfigMaps, or ship the files in the image or on a PersistentVolumeClaim',
      });
    }
    this.items = items;
    this.size = size;
    this.apiObject = new KubeConfigMap(this, 'Resource', {
      metadata: { name: this.name, namespace, labels: props.labels ? { ...props.labels } : undefined },
      data: Object.keys(data).length ? data : undefined,
      binaryData: Object.keys(binaryData).length ? binaryData : undefined,
    });
  }

  /** A read-only volume showing the folder's tree (through `items`). */
  public volume(volumeName: string): Volume {
    return Volume.configMap(volumeName, this.name, { items: this.items });
  }

  /** Relative paths of the regular files under `root/rel`, in a fixed (code point) order. */
  private *files(root: string, rel: string, includeHidden: boolean): Generator<string> {
    const entries = fs.readdirSync(path.join(root, rel), { withFileTypes: true })
      .filter((e) => includeHidden || !e.name.startsWith('.'))
      .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    for (const e of entries) {
      const child = rel ? `${rel}/${e.name}` : e.name;
      if (e.isDirectory()) yield* this.files(root, child, includeHidden);
      else if (e.isFile()) yield child;
      else {
        fail(this, {
          problem: e.isSymbolicLink() ? 'symbolic link in a ConfigMap source folder' : 'special file in a ConfigMap source folder',
          value: child,
          allowed: 'regular files and folders (a link could pull in files from outside the folder)',
          fix: 'copy the file into the folder instead of linking it, or remove it',
        });
      }
    }
  }
}

/** The content as UTF-8 text, or undefined when it is binary (invalid UTF-8 or a NUL byte). */
export function asText(bytes: Buffer): string | undefined {
  if (bytes.includes(0)) return undefined;
  try {
    return new TextDecoder('utf-8', { fatal: true, ignoreBOM: true }).decode(bytes);
  } catch {
    return undefined;
  }
}
