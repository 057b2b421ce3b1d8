// Which documents the editor features serve: job files (lenses, hovers, fixes, navigation,
// completion) and, for plaintext-token detection and its quick fixes, those plus .env files.

import type * as vscode from 'vscode';

export const JOB_FILES: vscode.DocumentFilter[] = [
  { language: 'yaml' },
  { pattern: '**/*.{yml,yaml}' },
  { language: 'python' },
  { language: 'shellscript' },
  { language: 'makefile' },
  { language: 'markdown' },
];

/** Notebook cells are python / markdown documents, so they are job files' languages already. */
export const PLAINTEXT_FILES: vscode.DocumentFilter[] = [...JOB_FILES, { language: 'dotenv' }, { pattern: '**/{.env,.env.*,*.env}' }];
