import { checkResource, resolveResource } from './shared/resource-rule.js';
export const unclosedResource = {
    meta: {
        code: 'LG202',
        name: 'unclosed-resource',
        severity: 'error',
        summary: 'Sockets, DB connections, `tempfile`, `ZipFile`, `Popen`, `urlopen`, sessions, executors, pools… not released on every path; `with sqlite3.connect()` does not close',
        why: 'The resource keeps its descriptor, connection, child process or worker threads until the garbage collector gets to it, which a traceback or a reference cycle can postpone indefinitely.',
        fixable: true,
    },
    create(ctx) {
        return {
            call(node) {
                checkResource(ctx, node, 'LG202');
            },
        };
    },
    resolve: resolveResource,
};
//# sourceMappingURL=unclosed-resource.js.map