// The detection code (src/core/plaintext/detect.ts with secretlint's rules) is its own file,
// dist/plaintext.js, loaded the first time a document is checked for plaintext tokens.

import type * as vscode from 'vscode';
import type { PlaintextLanguage } from '../../core/plaintext/types';

type Detect = typeof import('../../core/plaintext/detect');
let detectModule: Detect | undefined;

export function detection(): Detect {
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- deliberately lazy (see above)
  detectModule ??= require('../../core/plaintext/detect') as Detect;
  return detectModule;
}

type Notebook = typeof import('../../core/plaintext/notebook');
let notebookModule: Notebook | undefined;

/** Reading a raw .ipynb (files that aren't open), from dist/plaintextNotebook.js. */
export function notebookDetection(): Notebook {
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- deliberately lazy (see above)
  notebookModule ??= require('../../core/plaintext/notebook') as Notebook;
  return notebookModule;
}

/** The diagnostic code of a plaintext token. */
export const PLAINTEXT_CODE = 'plaintext-secret';

/** How a document is read: by its language id (notebook cells have the notebook's path), else by its path. */
export function plaintextLanguageOfDocument(doc: vscode.TextDocument): PlaintextLanguage | undefined {
  const byPath = detection().plaintextLanguageOf(doc.uri.path, doc.languageId);
  // A .env file opened in a VS Code without the dotenv language is plaintext to the editor.
  if (byPath === 'dotenv') return byPath;
  return detection().PLAINTEXT_LANGUAGE_IDS[doc.languageId] ?? (doc.uri.scheme === 'vscode-notebook-cell' ? undefined : byPath);
}
