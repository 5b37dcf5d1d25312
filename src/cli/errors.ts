// How the CLI ends on an error: input errors (bad config, flags, files) exit 2 with the
// message alone; anything else is a bug and keeps its stack.

/** An error in what the user gave us; its message says what is wrong and how to fix it. */
export class UsageError extends Error {
  override name = 'UsageError';
}

export function exitOnError(err: unknown): never {
  if (err instanceof UsageError) {
    process.stderr.write(`ouro: ${err.message}\n`);
    process.exit(2);
  }
  process.stderr.write(`ouro: internal error: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
  process.exit(1);
}
