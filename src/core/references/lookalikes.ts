// Other tools' text that looks like a reference, and other tools' files (docs/contract.md "References
// in job files": `<<NAME>>` has no whitespace inside, and CI pipelines, Helm templates, Kubernetes
// manifests and Argo workflows are checked only where their folder is bound to a connection).
//
// - A whole-value `{{ … }}` is a reference only in ZenML's shape (zenml's `is_secret_reference`:
//   `\{\{\S+?\.\S+\}\}`, split at the first '.'; a key is a Python identifier). Not one when, its
//   ends trimmed, it has no '.' (VESSL's `{{MLFLOW_TRACKING_USERNAME}}`, Jinja's `{{ var }}`), starts
//   with '.', '$', '-' or '=' (Helm / Go templates `{{ .Values.x }}`, `{{- … }}`, Argo's `{{=expr}}`),
//   has whitespace inside its name or key, each trimmed (Jinja filters and expressions: `{{ a.b | f }}`),
//   or a key that holds another '.' or a bracket, quote or pipe (Argo's `{{inputs.parameters.x}}`,
//   attribute chains, calls).
// - A file is another tool's by its path (`.circleci/`, `.github/`, `.gitlab-ci.yml`, `.gitlab/`) or by
//   its head: top-level `apiVersion:` and `kind:` (a Kubernetes manifest, an Argo workflow, a Helm
//   template's output). Only the first HEAD_CHARS characters are looked at, so the cost is constant.

import type { SecretReference } from './reference';

/** Characters a ZenML key (a Python identifier) never holds, that other templating languages write after a '.'. */
const NOT_IN_KEY = /[.()[\]{}|'"]/;

/** Whether a whole value `{{ … }}` (already trimmed) is another tool's template, not a ZenML reference. */
export function bracesLookalike(text: string): boolean {
  if (!text.startsWith('{{')) return false;
  const inner = text.slice(2, text.endsWith('}}') ? -2 : undefined).trim();
  const dot = inner.indexOf('.');
  if (dot < 0) return true;
  const c = inner.charCodeAt(0);
  // '.', '$', '-', '='
  if (c === 0x2e || c === 0x24 || c === 0x2d || c === 0x3d) return true;
  // The name and the key are each trimmed (docs/contract.md); whitespace left inside either is an expression's.
  const key = inner.slice(dot + 1).trim();
  if (/\s/.test(inner.slice(0, dot).trim()) || /\s/.test(key)) return true;
  return NOT_IN_KEY.test(key);
}

/** Only the head of a file says whether it is a Kubernetes manifest (bounded, so the check costs nothing on big files). */
const HEAD_CHARS = 16_384;
const API_VERSION = /^apiVersion:[ \t]*["']?([^\s"'#]+)/m;
const KIND = /^kind:[ \t]*\S/m;

/** The tool whose file this text is, by its top-level `apiVersion:` and `kind:`, if any. */
export function otherToolOfText(text: string): string | undefined {
  const head = text.length > HEAD_CHARS ? text.slice(0, HEAD_CHARS) : text;
  if (!head.includes('apiVersion:')) return undefined;
  const api = API_VERSION.exec(head);
  if (!api || !KIND.test(head)) return undefined;
  return api[1].startsWith('argoproj.io/') ? 'an Argo workflow' : 'a Kubernetes manifest';
}

/** The tool whose YAML file this path is (CI pipelines), if any. */
export function otherToolOfPath(path: string): string | undefined {
  const p = `/${path.replace(/\\/g, '/')}`;
  if (!/\.ya?ml$/i.test(p)) return undefined;
  if (p.includes('/.circleci/')) return 'a CircleCI pipeline';
  if (p.includes('/.github/')) return 'a GitHub workflow';
  if (p.endsWith('/.gitlab-ci.yml') || p.endsWith('/.gitlab-ci.yaml') || p.includes('/.gitlab/')) return 'a GitLab CI pipeline';
  return undefined;
}

/**
 * The references of `text`, each saying whether the file is another tool's (otherTool): a reference
 * whose mark is already right is kept as it is, one that must change is copied.
 */
export function markOtherTool(text: string, refs: SecretReference[]): SecretReference[] {
  if (!refs.length) return refs;
  const tool = otherToolOfText(text);
  for (let i = 0; i < refs.length; i++) {
    const r = refs[i];
    if (r.otherTool === tool) continue;
    if (tool) refs[i] = { ...r, otherTool: tool };
    else {
      const { otherTool: _, ...rest } = r;
      refs[i] = rest;
    }
  }
  return refs;
}
