import { Document, Scalar, visit } from 'yaml';

/**
 * Strings that YAML 1.2 (the yaml library) writes plain but YAML 1.1 reads as something else. kubectl and
 * ArgoCD parse manifests with go-yaml's 1.1 rules, where `on`, `yes` or `n` are booleans and `0b101` or
 * `1_000` are numbers: a label value "on" would turn into `true`. Both writers below quote them.
 */
const YAML11_NOT_A_STRING = /^(?:y|Y|yes|Yes|YES|n|N|no|No|NO|on|On|ON|off|Off|OFF|[-+]?0b[01_]+|[-+]?[0-9][0-9_]*(?:\.[0-9_]*)?(?:[eE][-+]?[0-9]+)?|[-+]?\.[0-9_]+(?:[eE][-+]?[0-9]+)?)$/;

/**
 * The library's rendering (`yaml.stringify` with `lineWidth: 0, aliasDuplicateObjects: false`), except that
 * strings YAML 1.1 would misread are double-quoted. The reference {@link fastYaml} must match.
 */
export function libraryYaml(o: unknown): string {
  const doc = new Document(o, { aliasDuplicateObjects: false });
  visit(doc, {
    Scalar(_key, node) {
      if (typeof node.value === 'string' && YAML11_NOT_A_STRING.test(node.value)) node.type = Scalar.QUOTE_DOUBLE;
    },
  });
  return doc.toString({ lineWidth: 0 });
}

/**
 * A YAML emitter for the common case, byte-for-byte what {@link libraryYaml} writes, about 10x faster (the yaml library was a quarter of synth time
 * at 1000 namespaces). It only takes maps, lists, safe integers, booleans, single-line strings that the
 * library writes plain, single-quoted or double-quoted (no control characters), and multi-line values it writes as a plain block
 * literal (CRD descriptions, scripts in ConfigMaps); for anything else it returns undefined and the caller
 * uses the library.
 * test/synth/fast-yaml.test.ts proves the equality on generated objects and on everything synth emits.
 */
export function fastYaml(o: unknown): string | undefined {
  try {
    return `${node(o, '')}\n`;
  } catch (e) {
    if (e === UNSUPPORTED) return undefined;
    throw e;
  }
}

const UNSUPPORTED = Symbol('unsupported');

// The library's own rules (yaml 2.x, stringifyString.js and the core schema): a string is written plain
// unless it starts with an indicator, contains ": " or " #", ends with a space or colon, contains a control
// character, starts a document marker, or would be read back as null, a boolean or a number.
const NOT_PLAIN = /^[\n\t ,[\]{}#&*!|>'"%@`]|^[?-]$|^[?-][ \t]|[\n:][ \t]|[ \t]\n|[\n\t ]#|[\n\t :]$/;
// eslint-disable-next-line no-control-regex -- control characters are exactly what this must find
const CONTROL = /[\x00-\x1f\x7f-\x9f\u{D800}-\u{DFFF}]/u;
const DOCUMENT_MARKER = /^(%|---|\.\.\.)/;
const NOT_A_STRING = [
  /^(?:~|[Nn]ull|NULL)?$/,
  /^(?:[Tt]rue|TRUE|[Ff]alse|FALSE)$/,
  /^0o[0-7]+$/,
  /^[-+]?[0-9]+$/,
  /^0x[0-9a-fA-F]+$/,
  /^(?:[-+]?\.(?:inf|Inf|INF)|\.nan|\.NaN|\.NAN)$/,
  /^[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)[eE][-+]?[0-9]+$/,
  /^[-+]?(?:\.[0-9]+|[0-9]+\.[0-9]*)$/,
];
/** Longer keys become explicit (`? key`) in the library. */
const MAX_KEY = 1024;

function node(v: unknown, indent: string): string {
  if (typeof v === 'string' && v.includes('\n')) return blockLiteral(v, indent);
  if (Array.isArray(v)) {
    if (!v.length) return '[]';
    const child = `${indent}  `;
    return v.map((item) => `- ${node(item, child)}`).join(`\n${indent}`);
  }
  if (v !== null && typeof v === 'object') {
    if (Object.getPrototypeOf(v) !== Object.prototype) throw UNSUPPORTED;
    const entries = Object.entries(v);
    if (!entries.length) return '{}';
    const child = `${indent}  `;
    return entries
      .map(([k, value]) => {
        if (k.length > MAX_KEY) throw UNSUPPORTED;
        const rendered = node(value, child);
        return `${scalar(k)}:${isBlock(value) ? `\n${child}` : ' '}${rendered}`;
      })
      .join(`\n${indent}`);
  }
  return scalar(v);
}

// What makes the library write a multi-line value other than as `|` or `|-` with no indentation indicator:
// a control character (double quotes), a last line of blanks (double quotes), leading blanks or newlines (an
// indentation indicator), blanks before the end (kept in the body) or more than one final newline (`|+`).
// eslint-disable-next-line no-control-regex -- control characters are exactly what this must find
const NOT_SIMPLE_BLOCK = /[\x00-\x08\x0b-\x1f\x7f-\x9f\u{D800}-\u{DFFF}]|\n[\t ]+$|^[\n ]|[\t ]\n?$|\n\n$/u;

/**
 * A multi-line string as the library writes a map value or list item whose content sits at `indent`: a block
 * literal, `|` when it ends with one newline (clip), `|-` when it ends with none (strip), every run of
 * newlines followed by the indentation once (empty lines stay empty).
 */
function blockLiteral(v: string, indent: string): string {
  if (NOT_SIMPLE_BLOCK.test(v)) throw UNSUPPORTED;
  const clip = v.endsWith('\n');
  const body = (clip ? v.slice(0, -1) : v).replace(/\n+/g, `$&${indent}`);
  return `|${clip ? '' : '-'}\n${indent}${body}`;
}

function isBlock(v: unknown): boolean {
  return v !== null && typeof v === 'object' && (Array.isArray(v) ? v.length > 0 : Object.keys(v).length > 0);
}

/** Rendered strings (null: not supported). Keys, kinds and label values repeat across thousands of objects. */
const strings = new Map<string, string | null>();

function scalar(v: unknown): string {
  if (typeof v === 'string') {
    let rendered = strings.get(v);
    if (rendered === undefined) {
      if (strings.size > 100_000) strings.clear();
      strings.set(v, (rendered = renderString(v)));
    }
    if (rendered === null) throw UNSUPPORTED;
    return rendered;
  }
  if (typeof v === 'boolean') return String(v);
  if (typeof v === 'number' && Number.isSafeInteger(v) && !Object.is(v, -0)) return String(v);
  throw UNSUPPORTED;
}

function renderString(v: string): string | null {
  if (CONTROL.test(v) || DOCUMENT_MARKER.test(v)) return null;
  if (!NOT_PLAIN.test(v) && !NOT_A_STRING.some((r) => r.test(v)) && !YAML11_NOT_A_STRING.test(v)) return v;
  // Quoted as the library chooses: single quotes when it holds a double quote and no single one (our JSON
  // subject lists), else double quotes, which for one line without control characters is exactly its JSON
  // (the library rewrites only \u and \n escapes, which such a string does not have).
  if (v.includes('"') && !v.includes("'")) return `'${v}'`;
  return JSON.stringify(v);
}
