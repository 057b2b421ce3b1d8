// ZenML's reference syntax: `{{NAME.KEY}}` as a whole YAML scalar (stack and pipeline configs) and in
// `zenml …` command lines of shell scripts and Makefiles (shellScanner.ts), and the name given to
// `Client().get_secret(…)` in Python (pythonScanner.ts). Helm and Jinja write the same braces, so it
// counts only in files checked against ZenML. A secret created from a reference's key must meet
// ZenML's key rule.

import { validateZenmlKey } from './names';
import type { SecretReference } from '../../references/reference';
import type { CompletionForm, SyntaxDescriptor, ValueMatch } from '../../references/syntax';
import { ZENML } from './facts';
import type { ScanOptions, ScanResult } from '../../references/reference';
import { parseZenml } from './syntaxParse';

/** A value that is `{{ … }}` once trimmed. */
function inValue(value: string): ValueMatch | undefined {
  const trimmed = value.trim();
  if (!trimmed.startsWith('{{') || !trimmed.endsWith('}}')) return undefined;
  return { index: value.indexOf(trimmed), text: trimmed, ref: parseZenml(trimmed) };
}

/** The name is the first thing in the braces. */
function nameOffset(ref: SecretReference): number | undefined {
  const at = ref.text.indexOf(ref.name);
  return at >= 0 ? at : undefined;
}

// The non-YAML scanners load with the first file of their language (their own bundles,
// dist/zenmlPython.js and dist/zenmlShell.js: see esbuild.mjs), not at activation.
type PythonScanner = typeof import('./pythonScanner');
type ShellScanner = typeof import('./shellScanner');
let python: PythonScanner | undefined;
let shell: ShellScanner | undefined;
function scanZenmlPython(text: string, options?: ScanOptions): ScanResult {
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- deliberately lazy (see above)
  python ??= require('./pythonScanner') as PythonScanner;
  return python.scanZenmlPython(text, options);
}
function scanShell(text: string, options?: ScanOptions): ScanResult {
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- deliberately lazy (see above)
  shell ??= require('./shellScanner') as ShellScanner;
  return shell.scanShell(text, options);
}
function scanMakefile(text: string, options?: ScanOptions): ScanResult {
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- deliberately lazy (see above)
  shell ??= require('./shellScanner') as ShellScanner;
  return shell.scanMakefile(text, options);
}

/** Completion: the name after `{{`, a key after `{{name.`, the name given to `Client().get_secret("…")`. */
const ZENML_NAME_CHARS = /[^\s.{}'"]/;
const COMPLETION: readonly CompletionForm[] = [
  { languages: ['yaml', 'shellscript', 'makefile'], before: /\{\{\s*$/, chars: ZENML_NAME_CHARS },
  { languages: ['yaml', 'shellscript', 'makefile'], before: /\{\{\s*([^\s.{}'"]+)\.$/, completes: 'key', chars: /\w/, close: '}}' },
  { languages: ['python'], before: /\bget_secret\(\s*(?:name_id_or_prefix\s*=\s*)?["']$/, chars: /[^"'\\\n]/ },
];

export const ZENML_SYNTAX: SyntaxDescriptor = {
  id: 'zenml',
  platforms: [ZENML.id],
  onlyForItsPlatforms: true,
  validateKey: validateZenmlKey,
  // A `{{ … }}` value may hold escapes or folded lines: its names come from the exact scan.
  yaml: { trigger: '{{', inValue, nameOffset, candidates: (text) => text.includes('{{') },
  languages: [
    { id: 'shellscript', files: /\.(sh|bash)$/i, scan: scanShell },
    { id: 'makefile', files: /(^|[/\\])(GNUmakefile|[Mm]akefile)$|\.mk$/, scan: scanMakefile },
    { id: 'python', files: /\.pyi?$/i, scan: scanZenmlPython },
  ],
  completion: COMPLETION,
};
