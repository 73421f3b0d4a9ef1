/**
 * The process's side of the command line, as parameters: tests run `main()`
 * in-process with their own cwd, environment and streams.
 */

/** Somewhere text is written: `process.stdout`, or a test's buffer. */
export interface OutputStream {
  write(chunk: string): unknown;
  /** Set on a terminal; colour is only used there. */
  isTTY?: boolean;
}

/** Everything a subcommand may touch outside its arguments. */
export interface CliIO {
  /** Directory that relative paths and reported paths are relative to. */
  cwd: string;
  env: Readonly<Record<string, string | undefined>>;
  stdout: OutputStream;
  stderr: OutputStream;
  /** Read only when a path is `-`. */
  stdin: AsyncIterable<string | Buffer>;
}

/** The real process's streams and environment. */
export function processIO(): CliIO {
  // `leakguard check | head` closes the pipe early; that is not an error worth a stack trace.
  process.stdout.on('error', (err: NodeJS.ErrnoException) => {
    if (err.code !== 'EPIPE') throw err;
  });
  return { cwd: process.cwd(), env: process.env, stdout: process.stdout, stderr: process.stderr, stdin: process.stdin };
}

/** All of a stream's bytes (standard input is small and read once). */
export async function readAll(stream: AsyncIterable<string | Buffer>): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(typeof chunk === 'string' ? Buffer.from(chunk, 'utf8') : chunk);
  return Buffer.concat(chunks);
}
