// The action links at the end of a reference's hover (./hover.ts): Create… for a missing secret,
// Copy reference and Reveal in tree for an existing one, Refresh. The hover's markdown trusts only
// HOVER_COMMANDS; each link's arguments are an object we build (the connection, the scope, a name
// the server listed or that passed the platform's name rule), JSON- and URI-encoded — never
// file text pasted into a link.

import type * as vscode from 'vscode';
import { Finding } from '../core/check/checker';
import { createArgs, keyOfReference } from './codeLens';
import { scopeArgs } from './fixCommands';

/** The only commands a hover may run. */
export const HOVER_COMMANDS = ['mlSecrets.addSecret', 'mlSecrets.copyReference', 'mlSecrets.revealSecret', 'mlSecrets.refresh'] as const;
type HoverCommand = (typeof HOVER_COMMANDS)[number];

function link(title: string, command: HoverCommand, args: Record<string, unknown>): string {
  // The link's tooltip is plain text: a theme icon there would be rendered into the attribute.
  const tooltip = title.replace(/^\$\([^)]*\)\s*/, '');
  return `[${title}](command:${command}?${encodeURIComponent(JSON.stringify([args]))} "${tooltip}")`;
}

/** The links for a finding, in the order shown. */
export function hoverLinks(f: Finding, connection: string | undefined): string[] {
  if (!connection) return [];
  const out: string[] = [];
  // secret-missing is said only of a name the platform's rule accepted (a malformed one is reference-malformed).
  if (f.code === 'secret-missing' && !keyOfReference(f).refused) out.push(link('$(add) Create…', 'mlSecrets.addSecret', createArgs(f, connection)));
  if (f.secret && f.status !== 'pending') {
    // The server's own name (and key name), not the file's text.
    const where = { connection, name: f.secret.name, ...scopeArgs(f.scopeId) };
    const key = f.ref.key !== undefined ? f.secret.keys?.find((k) => k === f.ref.key) : undefined;
    out.push(link('$(copy) Copy reference', 'mlSecrets.copyReference', { ...where, ...(key !== undefined ? { key } : {}), interactive: true }));
    out.push(link('$(list-tree) Reveal in tree', 'mlSecrets.revealSecret', { ...where, scopeId: f.scopeId }));
  }
  out.push(link('$(refresh) Refresh', 'mlSecrets.refresh', { connection }));
  return out;
}

export function appendActions(md: vscode.MarkdownString, f: Finding, connection: string | undefined): void {
  const links = hoverLinks(f, connection);
  if (!links.length) return;
  md.appendMarkdown(`\n\n${links.join(' · ')}`);
}
