// The file languages whose command lines carry Apolo / Neu.ro references (`apolo run --env
// VAR=secret:NAME`, shellCommands.ts): shell scripts, Makefiles and Markdown (its shell code blocks).
// The scanner loads with the first such file (its own bundle, dist/apoloShell.js: esbuild.mjs), not
// at activation.

import type { ScanOptions, ScanResult } from '../../references/reference';
import type { SyntaxLanguage } from '../../references/syntax';

type ShellCommands = typeof import('./shellCommands');
let scanner: ShellCommands | undefined;
function load(): ShellCommands {
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- deliberately lazy (see above)
  scanner ??= require('./shellCommands') as ShellCommands;
  return scanner;
}

export const APOLO_LANGUAGES: readonly SyntaxLanguage[] = [
  { id: 'shellscript', files: /\.(sh|bash)$/i, scan: (text: string, options?: ScanOptions): ScanResult => load().scanApoloShell(text, options) },
  { id: 'makefile', files: /(^|[/\\])(GNUmakefile|[Mm]akefile)$|\.mk$/, scan: (text: string, options?: ScanOptions): ScanResult => load().scanApoloMakefile(text, options) },
  { id: 'markdown', files: /\.(md|markdown)$/i, scan: (text: string, options?: ScanOptions): ScanResult => load().scanApoloMarkdown(text, options) },
];
