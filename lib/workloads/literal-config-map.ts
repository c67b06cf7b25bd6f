import * as fs from 'fs';
import { Construct } from 'constructs';
import { KubeConfigMap } from 'cdk8s-plus-28/lib/imports/k8s';
import { fail } from '../errors';
import { namespaceName } from '../hardened-namespace';
import { Labels } from '../network/peer';
import { validateDnsSubdomain, validateLabels } from '../validate';
import { MAX_CONFIG_MAP_BYTES, asText } from './directory-config-map';
import { IConfigMapEnvSource } from './secret-env';
import { EnvValue } from './env-value';
import { ConfigMapVolumeOptions, Volume } from './volume';

/** Props of {@link LiteralConfigMap}: `kubectl create configmap --from-literal` and `--from-file` as code. */
export interface LiteralConfigMapProps {
  /** The ConfigMap name. */
  readonly name: string;
  /** The namespace. */
  readonly namespace: string;
  /**
   * Keys with literal values (`--from-literal`). Never secret values.
   * @default - none
   */
  readonly literals?: Readonly<Record<string, string>>;
  /**
   * Keys whose value is a local file's content, read at synth (`--from-file key=path`; relative paths from
   * the working directory). Binary files go to `binaryData`.
   * @default - none
   */
  readonly files?: Readonly<Record<string, string>>;
  /**
   * Labels of the ConfigMap.
   * @default - none
   */
  readonly labels?: Labels;
}

const KEY = /^[-._a-zA-Z0-9]+$/;

/**
 * A ConfigMap from literals and single files (for a whole folder see `DirectoryConfigMap`). Keys must be
 * valid ConfigMap keys and unique across literals and files; a missing file, an empty ConfigMap or more than
 * 1 MiB fail synth. Consumed as a volume, as `envFrom` (it is an {@link IConfigMapEnvSource}) or key by key.
 */
export class LiteralConfigMap extends Construct implements IConfigMapEnvSource {
  /** The ConfigMap name. */
  public readonly configMapName: string;
  /** Its keys, sorted. */
  public readonly keys: readonly string[];
  /** The underlying ConfigMap. */
  public readonly apiObject: KubeConfigMap;

  constructor(scope: Construct, id: string, props: LiteralConfigMapProps) {
    super(scope, id);
    this.configMapName = validateDnsSubdomain(this, 'ConfigMap name', props.name);
    const namespace = namespaceName(this, props.namespace);
    validateLabels(this, 'label', props.labels);
    const data: Record<string, string> = {};
    const binaryData: Record<string, string> = {};
    let size = 0;
    const checkKey = (key: string) => {
      if (!KEY.test(key) || key.length > 253) {
        fail(this, { problem: 'invalid ConfigMap key', value: key, allowed: '1-253 letters, digits, "-", "_" or "."', fix: 'rename the key' });
      }
      if (key in data || key in binaryData) {
        fail(this, { problem: 'ConfigMap key given twice', value: key, allowed: 'each key once across literals and files', fix: 'remove one of them' });
      }
    };
    for (const [key, value] of Object.entries(props.literals ?? {})) {
      checkKey(key);
      data[key] = value;
      size += key.length + Buffer.byteLength(value);
    }
    for (const [key, file] of Object.entries(props.files ?? {})) {
      checkKey(key);
      if (typeof file !== 'string' || !fs.existsSync(file) || !fs.statSync(file).isFile()) {
        fail(this, {
          problem: `file of ConfigMap key "${key}" does not exist`,
          value: file,
          allowed: 'an existing regular file (relative paths are read from the working directory)',
          fix: `create the file or fix the path (working directory: ${process.cwd()})`,
        });
      }
      const bytes = fs.readFileSync(file);
      const text = asText(bytes);
      if (text === undefined) binaryData[key] = bytes.toString('base64');
      else data[key] = text;
      size += key.length + (text === undefined ? binaryData[key].length : bytes.length);
    }
    this.keys = [...Object.keys(data), ...Object.keys(binaryData)].sort();
    if (!this.keys.length) {
      fail(this, { problem: 'ConfigMap without keys', value: props.name, allowed: 'at least one literal or file', fix: 'pass `literals` or `files`' });
    }
    if (size > MAX_CONFIG_MAP_BYTES) {
      fail(this, {
        problem: 'ConfigMap too large',
        value: `${size} bytes`,
        allowed: `at most ${MAX_CONFIG_MAP_BYTES} bytes (1 MiB) of keys and values`,
        fix: 'split it into several ConfigMaps, or ship the files in the image',
      });
    }
    this.apiObject = new KubeConfigMap(this, 'Resource', {
      metadata: { name: this.configMapName, namespace, labels: props.labels ? { ...props.labels } : undefined },
      data: Object.keys(data).length ? data : undefined,
      binaryData: Object.keys(binaryData).length ? binaryData : undefined,
    });
  }

  /** A read-only volume of the ConfigMap. */
  public volume(volumeName: string, options: ConfigMapVolumeOptions = {}): Volume {
    return Volume.configMap(volumeName, this.configMapName, options);
  }

  /** One key as an environment variable's value. */
  public envValue(key: string): EnvValue {
    if (!this.keys.includes(key)) {
      fail(this, { problem: `ConfigMap "${this.configMapName}" has no such key`, value: key, allowed: this.keys.join(', '), fix: 'use one of the listed keys' });
    }
    return EnvValue.fromConfigMapKey(this.configMapName, key);
  }
}
