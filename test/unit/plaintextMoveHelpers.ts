// Test helpers for the move forms (test/unit/plaintextMove*.test.ts): a synthetic token (never a
// real one), a finding built from where the token and its literal sit in a text, and the plan applied.
import assert from 'node:assert/strict';
import { applyEdits } from '../../src/core/plaintext/moveParts';
import { moveFormFor } from '../../src/core/plaintext/moveForms';
import type { MovePlan, MoveRequest, PlaintextFinding, PlaintextLanguage } from '../../src/core/plaintext/types';
import type { PlatformId } from '../../src/core/platforms/types';

/** A synthetic Hugging Face-shaped token, built in code. */
export const TOK = 'hf_' + 'Ab'.repeat(17);

export interface Shape {
  /** The literal's text around the token (default: the token alone); `"TOK"` for a quoted YAML scalar is given as TOK with quote '"'. */
  lit?: string;
  quote?: '"' | "'" | '';
  whole?: boolean;
  inComment?: boolean;
  variable?: string;
  envVar?: string;
  name?: string;
  key?: string;
  /** Which occurrence of the token (default the first). */
  nth?: number;
}

/** The finding for `TOK` in `text`, its literal the occurrence of `shape.lit` around it. */
export function findingIn(text: string, shape: Shape = {}): PlaintextFinding {
  let start = -1;
  for (let n = 0; n <= (shape.nth ?? 0); n++) start = text.indexOf(TOK, start + 1);
  assert.ok(start >= 0, 'token in text');
  const end = start + TOK.length;
  const lit = shape.lit ?? TOK;
  let ls = text.lastIndexOf(lit, start);
  while (ls >= 0 && ls + lit.length < end) ls = text.lastIndexOf(lit, ls - 1);
  if (ls < 0 || ls + lit.length < end) ls = text.indexOf(lit, Math.max(0, end - lit.length));
  assert.ok(ls >= 0 && ls <= start && ls + lit.length >= end, `literal ${lit} around the token`);
  const quote = shape.quote ?? (/^[A-Za-z]*(["'])/.exec(lit)?.[1] as '"' | "'" | undefined) ?? '';
  const inner = lit.replace(/^[A-Za-z]*(["'])([\s\S]*)\1$/, '$2');
  const envVar = shape.envVar ?? 'HF_TOKEN';
  return {
    start,
    end,
    ruleId: 'huggingface',
    label: 'Hugging Face token',
    literal: { start: ls, end: ls + lit.length, quote },
    whole: shape.whole ?? inner === TOK,
    ...(shape.inComment ? { inComment: true } : {}),
    ...(shape.variable ? { variable: shape.variable } : {}),
    envVar,
    suggestedName: 'hf_token',
  };
}

export function requestFor(language: PlaintextLanguage, text: string, shape: Shape = {}): MoveRequest {
  const finding = findingIn(text, shape);
  return { text, language, finding, name: shape.name ?? 'hf_token', key: shape.key ?? 'token', envVar: shape.envVar ?? finding.envVar };
}

export function planFor(platform: PlatformId, language: PlaintextLanguage, text: string, shape: Shape = {}): MovePlan {
  return moveFormFor(platform)(requestFor(language, text, shape));
}

/** The text after the move (the plan must not be a refusal). */
export function moved(platform: PlatformId, language: PlaintextLanguage, text: string, shape: Shape = {}): string {
  const plan = planFor(platform, language, text, shape);
  assert.ok(!('refused' in plan), `refused: ${'refused' in plan ? plan.refused : ''}`);
  if ('refused' in plan) return text;
  return applyEdits(text, plan.edits);
}

/** The refusal's reason (the plan must be one). */
export function refusal(platform: PlatformId, language: PlaintextLanguage, text: string, shape: Shape = {}): string {
  const plan = planFor(platform, language, text, shape);
  assert.ok('refused' in plan, `expected a refusal, got ${JSON.stringify(plan)}`);
  return 'refused' in plan ? plan.refused : '';
}
