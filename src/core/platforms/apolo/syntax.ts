// Apolo / Neu.ro's reference syntax (docs/contract.md "References in job files"), in YAML job files:
//   secret:NAME | secret:/PROJECT/NAME | secret://CLUSTER/ORG/PROJECT/NAME   (whole scalar, or the
//       value of a VAR=… / --env VAR=… style scalar)
//   secret:NAME:/mount/path                                                   (whole scalar, volumes)
//   'secret:NAME' literals inside ${{ … }} / $[[ … ]] expression strings              (exact ranges)
//   a name that is itself an expression (secret:${{ params.x }}) is set at run time: not checked
// Files under .neuro/ are neuro-flow's (Neu.ro's), files under .apolo/ apolo-flow's (Apolo's).
// On command lines of shell scripts, Makefiles and Markdown code blocks: `apolo run` / `neuro run`
// --env VAR=secret:… and --volume secret:…:/path (syntaxShell.ts → shellCommands.ts).

import { printable } from '../../text';
import type { SecretReference } from '../../references/reference';
import type { CompletionForm, SyntaxDescriptor, SyntaxFix } from '../../references/syntax';
import { APOLO, NEURO } from './facts';
import { validateApoloKey } from './names';
import { apoloNameOffset } from './syntaxRef';
import { APOLO_LANGUAGES } from './syntaxShell';
import { apoloCandidates, apoloInValue, emptySecretKey, secretsInExpressions } from './syntaxYaml';

export { parseApoloRef } from './syntaxRef';

/** Drop a volume's `:ro` / `:rw`; make a relative mount path absolute. */
function fixes(ref: SecretReference): SyntaxFix[] {
  if (ref.mountPath === undefined) return [];
  const suffix = /:(ro|rw)$/.exec(ref.text);
  if (suffix) return [{ title: `Remove '${suffix[0]}' (secret volumes are always read-only)`, start: ref.end - suffix[0].length, end: ref.end, newText: '', preferred: true }];
  if (ref.mountPath && !ref.mountPath.startsWith('/')) {
    const at = ref.text.indexOf(':', 'secret:'.length);
    if (at > 0 && ref.text.slice(at + 1) === ref.mountPath) {
      return [{ title: `Make the mount path absolute: '/${printable(ref.mountPath, 60)}'`, start: ref.start + at + 1, end: ref.start + at + 1, newText: '/', preferred: true }];
    }
  }
  return [];
}

/** Completion after `secret:`: a value (`KEY: secret:`, `- secret:`, `VAR=secret:`, `'secret:` in `${{ … }}`), or an `apolo run --env X=secret:` word. */
const NAME_CHARS = /[\w.-]/;
const COMPLETION: readonly CompletionForm[] = [
  { languages: ['yaml'], before: /(?:^|[^\w./:-])secret:$/, chars: NAME_CHARS },
  { languages: ['shellscript', 'makefile', 'markdown'], before: /(?:^|[\s='"])secret:$/, chars: NAME_CHARS },
];

export const APOLO_SYNTAX: SyntaxDescriptor = {
  id: 'apolo',
  platforms: [APOLO.id, NEURO.id],
  // .neuro/ is looked for first (a path holding both is neuro-flow's).
  folders: [
    { dir: '.neuro', platform: NEURO.id },
    { dir: '.apolo', platform: APOLO.id },
  ],
  validateName: validateApoloKey,
  // secret:/PROJECT/NAME names another project's secret; a URI says where it is itself.
  inScope: (ref, scope) => !(ref.project && ref.form !== 'uri') || ref.project === scope.project,
  fixes,
  yaml: { trigger: 'secret:', inValue: apoloInValue, inSource: secretsInExpressions, nameOffset: apoloNameOffset, inEmptyKey: emptySecretKey, candidates: apoloCandidates },
  languages: APOLO_LANGUAGES,
  completion: COMPLETION,
};
