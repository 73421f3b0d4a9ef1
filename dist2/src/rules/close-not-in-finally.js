import { checkResource, resolveResource } from './shared/resource-rule.js';
import { checkContextCleanup } from './shared/context-cleanup.js';
export const closeNotInFinally = {
    meta: {
        code: 'LG203',
        name: 'close-not-in-finally',
        severity: 'warning',
        summary: 'A resource closed explicitly, but code that can raise runs between acquire and `close()` without `try`/`finally`',
        why: 'When anything between the acquisition and close() raises, the close is skipped and the resource is left to the garbage collector.',
        fixable: true,
    },
    create(ctx) {
        return {
            call(node) {
                checkResource(ctx, node, 'LG203');
            },
            function_definition(node) {
                checkContextCleanup(ctx, node);
            },
        };
    },
    resolve: resolveResource,
};
//# sourceMappingURL=close-not-in-finally.js.map