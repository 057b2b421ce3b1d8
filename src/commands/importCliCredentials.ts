// mlSecrets.importCliCredentials: each platform's CLI logins in turn (or just the one asked for), read
// and prepared by the same reader as `ml-secrets check` (src/core/platforms/<id>/cliConnect.ts), each
// prepared connection saved; then one message for all of them.

import * as os from 'node:os';
import * as vscode from 'vscode';
import { describeError, ValidationError } from '../core/errors';
import type { CliConnections } from '../core/platforms/cliPrepare';
import { PLATFORM_IDS, PLATFORMS } from '../core/platforms/registry';
import type { PlatformId } from '../core/platforms/types';
import { platformModule } from '../platforms/registry';
import type { PlatformModule } from '../platforms/types';
import { Command, Invocation, optString, Services, tell } from './common';
import { saveConnection } from './saveConnection';

/** The modules whose imports run, once each (apolo's serves two ids), in their import order. */
function importers(only: PlatformId | undefined): PlatformModule[] {
  const modules = only ? [platformModule(only)] : [...new Set(PLATFORM_IDS.map((id) => platformModule(id)))];
  return modules.sort((a, b) => a.cliImportOrder - b.cliImportOrder);
}

/** Where "Import CLI Credentials" looks, for "No CLI login found". */
function cliLocations(): string {
  return PLATFORMS.map((p) => platformModule(p.id).cliLocation(p.id)).join('; ');
}

/** One module's logins, read and prepared (a reader that throws is one note), then each saved: the labels saved, and the notes for the log. */
async function importModule(s: Services, inv: Invocation, m: PlatformModule, only: PlatformId | undefined): Promise<{ labels: string[]; notes: string[] }> {
  const ctx = { http: s.http, env: process.env, home: os.homedir(), only, ...m.cliImportContext?.(inv) };
  const r = await m.cliConnections(ctx).catch((e: unknown): CliConnections => ({ prepared: [], notes: [], failed: [describeError(e)] }));
  const labels: string[] = [];
  const notes = [...r.notes, ...(r.failed ?? [])];
  for (const p of r.prepared) {
    try {
      labels.push((await saveConnection(s.store, p)).label);
    } catch (e) {
      notes.push(`${p.record.source ?? p.record.label}: ${describeError(e)}`);
    }
  }
  return { labels, notes };
}

async function run(s: Services, inv: Invocation): Promise<string[]> {
  const only = optString(inv.args, 'platform') as PlatformId | undefined;
  if (only && !(PLATFORM_IDS as readonly string[]).includes(only)) throw new ValidationError(`Unknown platform '${only}'.`);
  const labels: string[] = [];
  const notes: string[] = [];
  for (const m of importers(only)) {
    const r = await importModule(s, inv, m, only);
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
