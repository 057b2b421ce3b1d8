// mlSecrets.importCliCredentials: each platform's CLI import (src/platforms/<id>/signIn.ts) in turn
// (or just the one asked for), then one message for all of them.

import * as vscode from 'vscode';
import { ValidationError } from '../core/errors';
import { PLATFORM_IDS, PLATFORMS } from '../core/platforms/registry';
import type { PlatformId } from '../core/platforms/types';
import { platformModule } from '../platforms/registry';
import type { PlatformModule } from '../platforms/types';
import { Command, Invocation, optString, Services, tell } from './common';

/** The modules whose imports run, once each (apolo's serves two ids), in their import order. */
function importers(only: PlatformId | undefined): PlatformModule[] {
  const modules = only ? [platformModule(only)] : [...new Set(PLATFORM_IDS.map((id) => platformModule(id)))];
  return modules.sort((a, b) => a.cliImportOrder - b.cliImportOrder);
}

/** Where "Import CLI Credentials" looks, for "No CLI login found". */
function cliLocations(): string {
  return PLATFORMS.map((p) => platformModule(p.id).cliLocation(p.id)).join('; ');
}

async function run(s: Services, inv: Invocation): Promise<string[]> {
  const only = optString(inv.args, 'platform') as PlatformId | undefined;
  if (only && !(PLATFORM_IDS as readonly string[]).includes(only)) throw new ValidationError(`Unknown platform '${only}'.`);
  const labels: string[] = [];
  const notes: string[] = [];
  for (const m of importers(only)) {
    const r = await m.importCli(s, inv, only);
    labels.push(...r.labels);
    notes.push(...r.notes);
  }
  for (const n of notes) s.log.warn(`Import: ${n}`);
  if (labels.length) tell(`Imported ${labels.length} connection${labels.length > 1 ? 's' : ''} from the CLI: ${labels.join(', ')}.${notes.length ? ` ${notes.length} problem(s) — see Show Logs.` : ''}`);
  else if (inv.interactive) {
    const msg = notes.length ? `No CLI login could be imported: ${notes[0]}` : `No CLI login found. Looked in: ${cliLocations()}.`;
    void vscode.window.showWarningMessage(msg, 'Show Logs').then((p) => p && s.log.show());
  }
  return labels;
}

export const importCliCredentials: Command = { title: 'Import CLI credentials', run };
