/**
 * The process's side of the command line, as parameters: tests run `main()`
 * in-process with their own cwd, environment and streams.
 */
/** The real process's streams and environment. */
export function processIO() {
    // `leakguard check | head` closes the pipe early; that is not an error worth a stack trace.
    process.stdout.on('error', (err) => {
        if (err.code !== 'EPIPE')
            throw err;
    });
    return { cwd: process.cwd(), env: process.env, stdout: process.stdout, stderr: process.stderr, stdin: process.stdin };
}
/** All of a stream's bytes (standard input is small and read once). */
export async function readAll(stream) {
    const chunks = [];
    for await (const chunk of stream)
        chunks.push(typeof chunk === 'string' ? Buffer.from(chunk, 'utf8') : chunk);
    return Buffer.concat(chunks);
}
//# sourceMappingURL=io.js.map