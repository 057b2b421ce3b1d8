// Plaintext tokens (issue 16): what detection finds in a text, and how a finding is moved into a
// platform secret. Detection (./detect.ts, loaded lazily with secretlint) fills PlaintextFinding;
// each platform's src/core/platforms/<id>/plaintextMove.ts turns one into edits (./moveForms.ts
// lists them). Nothing here ever holds a token's text beyond the offsets that locate it.

/** The file kinds detection reads; anything else is scanned as plain text. */
export type PlaintextLanguage = 'yaml' | 'python' | 'shellscript' | 'makefile' | 'dotenv' | 'markdown' | 'plaintext';

/** One token found in plain text. Offsets are UTF-16 offsets into the scanned text. */
export interface PlaintextFinding {
  /** The token itself (never stored as text). */
  start: number;
  end: number;
  /** A stable rule id: our own (`huggingface`, `wandb`, `openai`, …) or secretlint's rule id. */
  ruleId: string;
  /** What it is, for messages: "Hugging Face token". Never contains the token. */
  label: string;
  /**
   * The literal that holds it: a YAML scalar's value range (inside quotes, if quoted), a Python
   * string literal (including its prefix and quotes), a shell word / .env value (including quotes).
   */
  literal: { start: number; end: number; quote: '"' | "'" | '' };
  /** The token is the literal's whole value (nothing but the token between the quotes). */
  whole: boolean;
  /** The token sits in a comment (still a leak; it moves only by deleting it from the comment). */
  inComment?: boolean;
  /**
   * The name the value is given to, when the text says: a YAML key (`HF_TOKEN: …`), an assignment
   * (`HF_TOKEN=…`, `token = "…"`, `os.environ["HF_TOKEN"] = "…"`), a keyword argument (`token="…"`),
   * a dict key (`{"WANDB_API_KEY": "…"}`), a command-line option (`--env HF_TOKEN=…`).
   */
  variable?: string;
  /** The environment variable a job would normally read it from (the variable if it is one, else the rule's, e.g. HF_TOKEN). */
  envVar: string;
  /** A secret name to suggest (lower-case, from the variable or the rule, e.g. `hf_token`); callers re-check it against the platform's rule. */
  suggestedName: string;
}

/** An edit to the scanned text. */
export interface TextEdit {
  start: number;
  end: number;
  newText: string;
}

/** What "Move to a platform secret…" needs to know besides the text and the finding. */
export interface MoveRequest {
  /** The whole text the finding's offsets are in (a notebook cell's source for notebooks). */
  text: string;
  language: PlaintextLanguage;
  finding: PlaintextFinding;
  /** The secret's name (already checked against the platform's rule). */
  name: string;
  /** ZenML: the key inside the secret that holds the value. */
  key: string;
  /** The environment variable the job reads it from. */
  envVar: string;
}

/**
 * How a finding moves: the fields of `mlSecrets.addSecret` (besides connection and the value, which
 * the caller adds) and the edits that replace the literal with the platform's reference form, or
 * the reason there is none for this place.
 */
export type MovePlan =
  | {
      /** `mlSecrets.addSecret` fields, e.g. `{name}`, `{name, values-key}` → see `valueField`. */
      create: Record<string, unknown>;
      /** Where the value goes in the addSecret argument: `value`, or `values` keyed by `key` (ZenML). */
      valueField: 'value' | { values: string };
      edits: TextEdit[];
      /** What the reference now reads, for the message after the move (`secret:hf_token`). */
      reference: string;
      /** Something the user still has to do (Flyte: request the secret in the task's environment). */
      note?: string;
    }
  | { refused: string };

/** One platform's way of moving a token into a secret (src/core/platforms/<id>/plaintextMove.ts). */
export type MoveForm = (req: MoveRequest) => MovePlan;
