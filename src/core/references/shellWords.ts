// Shell command lines split into simple commands and words, with exact offsets: the part every
// command-line scanner shares (ZenML's `zenml …` in src/core/platforms/zenml/shellScanner.ts, Apolo's
// `apolo run` / `neuro run` in src/core/platforms/apolo/shellCommands.ts). Pure; linear time; never throws.
//
// A command runs to a newline not escaped by `\`, or to `;`, `&`, `|`, `(`, `)`, `` ` ``. A word keeps
// its quotes, escapes and `${…}` (and, in a Makefile, `$(…)`) in its source range; its cooked text has
// them removed, and `at[i]` is where its i-th cooked character is in the source. A `$(` that is not a
// Makefile's opens a command substitution: its commands are commands of their own (the word before it
// ends there, `openAfter` says so). `#` at a word's start begins a comment. Here-documents (`<<EOF` …
// `EOF`, `<<-`, quoted delimiters) are data, never commands. Makefile regions: `$$` is a `$`.

export interface ShellWord {
  start: number;
  end: number;
  /** The word without quotes and escapes. */
  cooked: string;
  /** The source offset of each cooked character. */
  at: number[];
  /** The word ends where a command substitution `$(` begins: its value is only known at run time. */
  openAfter?: boolean;
}

/** Called with each simple command's words (never empty). */
export type CommandSink = (words: ShellWord[]) => void;

const SEPARATORS = new Set([';', '&', '|', '(', ')', '`']);

export function lineEnd(text: string, from: number): number {
  const i = text.indexOf('\n', from);
  return i < 0 ? text.length : i;
}

/** Whether the line [lineStart, end) ends in an odd number of backslashes (it continues). */
export function continued(text: string, lineStart: number, end: number): boolean {
  let i = end - 1;
  if (i >= lineStart && text[i] === '\r') i--;
  let n = 0;
  while (i >= lineStart && text[i] === '\\') {
    n++;
    i--;
  }
  return n % 2 === 1;
}

/** Splits [from, to) of `text` into simple commands, calling `sink` with each one's words. */
export function shellCommands(text: string, from: number, to: number, make: boolean, sink: CommandSink): void {
  new ShellLexer(text, from, to, make, sink).run();
}

interface Heredoc {
  delimiter: string;
  /** `<<-`: the closing line may start with tabs. */
  tabs: boolean;
}

class ShellLexer {
  private i: number;
  private words: ShellWord[] = [];
  private heredocs: Heredoc[] = [];

  constructor(
    private readonly text: string,
    from: number,
    private readonly to: number,
    private readonly make: boolean,
    private readonly sink: CommandSink,
  ) {
    this.i = from;
  }

  run(): void {
    const { text, to } = this;
    while (this.i < to) {
      const c = text[this.i];
      if (c === '\\' && (text[this.i + 1] === '\n' || (text[this.i + 1] === '\r' && text[this.i + 2] === '\n'))) this.i += text[this.i + 1] === '\n' ? 2 : 3;
      else if (c === ' ' || c === '\t' || c === '\r' || c === '\f' || c === '\v') this.i++;
      else if (c === '\n') {
        this.endCommand();
        this.i++;
        if (this.heredocs.length) this.skipHeredocs();
      } else if (SEPARATORS.has(c)) {
        this.endCommand();
        this.i++;
      } else if (c === '#') this.i = Math.min(to, lineEnd(text, this.i));
      else if (c === '$' && text[this.i + 1] === '(' && text[this.i + 2] !== '(' && !this.make) {
        // A command substitution at a word's start: its own commands.
        this.endCommand();
        this.i += 2;
      } else if (c === '<' && text[this.i + 1] === '<' && text[this.i + 2] !== '<') this.heredoc();
      else this.words.push(this.word());
    }
    this.endCommand();
  }

  private endCommand(): void {
    const words = this.words;
    this.words = [];
    if (words.length) this.sink(words);
  }

  /** `<<WORD` / `<<-WORD` / `<<'WORD'`: the body starts on the next line. */
  private heredoc(): void {
    this.i += 2;
    const tabs = this.text[this.i] === '-';
    if (tabs) this.i++;
    while (this.i < this.to && (this.text[this.i] === ' ' || this.text[this.i] === '\t')) this.i++;
    if (this.i >= this.to || /[\s;&|()<>`]/.test(this.text[this.i])) return;
    const delimiter = this.word().cooked;
    if (delimiter) this.heredocs.push({ delimiter, tabs });
  }

  /** Skips the bodies of the here-documents opened on the line just ended, through their closing lines. */
  private skipHeredocs(): void {
    const { text, to } = this;
    for (const h of this.heredocs) {
      while (this.i < to) {
        const end = lineEnd(text, this.i);
        let line = text.slice(this.i, end);
        if (line.endsWith('\r')) line = line.slice(0, -1);
        if (h.tabs) line = line.replace(/^\t+/, '');
        this.i = Math.min(to, end + 1);
        if (line === h.delimiter) break;
      }
    }
    this.heredocs = [];
  }

  /** A word from `i`: quotes, escapes and `${…}` / make's `$(…)` are part of it. */
  private word(): ShellWord {
    const { text, to } = this;
    const w: ShellWord = { start: this.i, end: this.i, cooked: '', at: [] };
    const add = (from: number, until: number): void => {
      for (let j = from; j < until; j++) w.at.push(j);
      w.cooked += text.slice(from, until);
    };
    while (this.i < to) {
      const c = text[this.i];
      if (c === ' ' || c === '\t' || c === '\n' || c === '\r' || SEPARATORS.has(c)) break;
      // A command substitution inside a word (`X=$(apolo …)`) holds commands of its own: run() takes it.
      if (c === '$' && text[this.i + 1] === '(' && text[this.i + 2] !== '(' && !this.make) {
        w.openAfter = true;
        break;
      }
      if (c === '\\') {
        const n = text[this.i + 1];
        if (n !== '\n' && n !== undefined) add(this.i + 1, this.i + 2);
        this.i = Math.min(to, this.i + 2);
      } else if (c === "'" || c === '"') {
        const close = this.closing(c, this.i + 1);
        add(this.i + 1, close);
        this.i = Math.min(to, close + 1);
      } else if (c === '$' && text[this.i + 1] === '$' && this.make) {
        add(this.i, this.i + 1);
        this.i += 2;
      } else if (c === '$' && (text[this.i + 1] === '{' || text[this.i + 1] === '(')) {
        const close = this.balanced(this.i + 1);
        add(this.i, Math.min(to, close + 1));
        this.i = Math.min(to, close + 1);
      } else {
        add(this.i, this.i + 1);
        this.i++;
      }
    }
    w.end = this.i;
    return w;
  }

  /** Where a quote opened before `from` closes (the region's end if it doesn't); `"` honours `\` escapes. */
  private closing(q: string, from: number): number {
    for (let j = from; j < this.to; j++) {
      if (this.text[j] === q) return j;
      if (q === '"' && this.text[j] === '\\') j++;
    }
    return this.to;
  }

  /** Where the bracket at `open` (`{` or `(`) closes, counting nesting (the region's end if it doesn't). */
  private balanced(open: number): number {
    const o = this.text[open];
    const c = o === '{' ? '}' : ')';
    let depth = 0;
    for (let j = open; j < this.to; j++) {
      const ch = this.text[j];
      if (ch === o) depth++;
      else if (ch === c && --depth === 0) return j;
      else if (ch === '\n' && !continued(this.text, open, j)) return j - 1;
    }
    return this.to;
  }
}
