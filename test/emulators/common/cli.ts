/**
 * The scaffolding of the emulators' main.ts: `--port N` / `--port=N` / `--no-seed`, usage errors
 * (stderr, exit 2), one JSON line on stdout, stop on SIGINT / SIGTERM, a failure's stack (exit 1).
 */

/** A usage error: the message on stderr, exit code 2. */
export function usageError(msg: string): never {
  process.stderr.write(`${msg}\n`);
  process.exit(2);
}

export interface CommonArgs {
  port: number;
  seed: boolean;
}

/**
 * Parses `--port N`, `--port=N` and `--no-seed`, gives every other argument to `option` (false: an
 * unknown argument), then checks the port. `value()` takes the argument's value (the next argument);
 * a missing one is the usage error "<arg> needs a value", or with `lenientValues` undefined.
 */
export function parseArgs(
  argv: string[],
  option: (a: string, value: () => string) => boolean,
  opts: { lenientValues?: boolean } = {},
): CommonArgs {
  const args: CommonArgs = { port: 0, seed: true };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    const value = (): string => {
      const v = argv[++i];
      if (v === undefined && !opts.lenientValues) usageError(`${a} needs a value`);
      return v as string;
    };
    if (a === '--port') args.port = Number(value());
    else if (a.startsWith('--port=')) args.port = Number(a.slice('--port='.length));
    else if (a === '--no-seed') args.seed = false;
    else if (!option(a, value)) usageError(`unknown argument: ${a}`);
  }
  if (!Number.isInteger(args.port) || args.port < 0 || args.port > 65535) usageError('--port must be an integer 0..65535');
  return args;
}

/** Prints `info` as one JSON line and closes the emulator (then exits) on SIGINT / SIGTERM. */
export function serve(emu: { close(): Promise<void> }, info: unknown): void {
  process.stdout.write(JSON.stringify(info) + '\n');
  let stopping = false;
  const stop = (): void => {
    if (stopping) return;
    stopping = true;
    emu.close().then(
      () => process.exit(0),
      () => process.exit(1),
    );
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
}

/** Runs `main` with the command line's arguments; a failure prints its stack and exits 1. */
export function runMain(main: (argv: string[]) => Promise<void>): void {
  main(process.argv.slice(2)).catch((e: unknown) => {
    process.stderr.write(`${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`);
    process.exit(1);
  });
}
