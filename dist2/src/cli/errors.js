/**
 * A mistake in how leakguard was invoked (bad flag, missing path, unknown rule
 * code, invalid configuration): reported as one line on stderr with exit status 2.
 */
export class UsageError extends Error {
    constructor(message) {
        super(message);
        this.name = 'UsageError';
    }
}
/** Exit statuses of every subcommand (SPEC §2). */
export const EXIT = {
    /** No finding at or above `fail_on`. */
    ok: 0,
    /** Findings at or above `fail_on`. */
    findings: 1,
    /** Usage or configuration error. */
    usage: 2,
};
/** The message of anything thrown; duck-typed because errors from Node's own realm fail `instanceof Error` under jest's VM. */
export function errorMessage(err) {
    if (typeof err === 'object' && err !== null && 'message' in err && typeof err.message === 'string')
        return err.message;
    return String(err);
}
//# sourceMappingURL=errors.js.map