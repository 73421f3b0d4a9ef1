/**
 * The Actions runner's side of the Action, written as @actions/core writes it
 * (without the dependency): log lines and workflow commands on standard
 * output, step outputs appended to `$GITHUB_OUTPUT`, the job summary to
 * `$GITHUB_STEP_SUMMARY`. Everything printed goes through `redact`, so a
 * token that slips into an error message never reaches the log.
 * https://docs.github.com/actions/reference/workflow-commands-for-github-actions
 */
import { randomUUID } from 'node:crypto';
import { appendFileSync } from 'node:fs';
import { workflowCommand } from '../cli/format/github.js';
import { redact } from '../github/octokit.js';
/** The log, outputs and summary of one step. */
export class Runner {
    out;
    env;
    constructor(out, env) {
        this.out = out;
        this.env = env;
    }
    /** A plain log line. */
    info(line) {
        this.out.write(`${redact(line)}\n`);
    }
    /** An annotation on the run (and on a file when `properties` name one). */
    annotate(level, message, properties = {}) {
        this.out.write(`${workflowCommand(level, properties, redact(message))}\n`);
    }
    /** Raw workflow-command lines (already escaped), e.g. one annotation per finding. */
    commands(lines) {
        for (const line of lines)
            this.out.write(`${redact(line)}\n`);
    }
    /** Asks the runner to mask `secret` in every later log line; the command itself is never shown. */
    mask(secret) {
        // Not redacted: the runner must receive the secret itself to mask it.
        this.out.write(`${workflowCommand('add-mask', {}, secret)}\n`);
    }
    /** Opens a collapsible group of log lines. */
    group(title) {
        this.out.write(`::group::${redact(title)}\n`);
    }
    /** Closes the group `group` opened. */
    endGroup() {
        this.out.write('::endgroup::\n');
    }
    /** Sets a step output; without `$GITHUB_OUTPUT` (a run outside Actions) it is only logged. */
    setOutput(name, value) {
        const file = this.env.GITHUB_OUTPUT;
        if (!file) {
            this.info(`output ${name}=${value}`);
            return;
        }
        // The heredoc form takes any value; a random delimiter cannot occur in it.
        const delimiter = `ghadelimiter_${randomUUID()}`;
        appendFileSync(file, `${name}<<${delimiter}\n${value}\n${delimiter}\n`);
    }
    /** Appends Markdown to the job summary, when the runner gives one. */
    summary(markdown) {
        const file = this.env.GITHUB_STEP_SUMMARY;
        if (file)
            appendFileSync(file, `${redact(markdown)}\n`);
    }
}
//# sourceMappingURL=runner.js.map