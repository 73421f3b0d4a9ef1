import { checkResource, resolveResource } from './shared/resource-rule.js';
export const unclosedFile = {
    meta: {
        code: 'LG201',
        name: 'unclosed-file',
        severity: 'error',
        summary: '`open()`/`Path.open()`/`gzip.open()`… not closed on every path: not in `with`, not closed in `finally`, not returned or handed to an owner',
        why: 'An unclosed file keeps its file descriptor and buffers until the garbage collector gets to it, which a traceback, a reference cycle or PyPy can postpone indefinitely.',
        fixable: true,
    },
    create(ctx) {
        return {
            call(node) {
                checkResource(ctx, node, 'LG201');
            },
        };
    },
    resolve: resolveResource,
};
//# sourceMappingURL=unclosed-file.js.map