import { boundMethodOnSelf } from './bound-method-on-self.js';
import { closureCapturesSelf } from './closure-captures-self.js';
import { backReference } from './back-reference.js';
import { mutualReference } from './mutual-reference.js';
import { instanceRegistry } from './instance-registry.js';
import { callbackRegistration } from './callback-registration.js';
import { delMethod } from './del-method.js';
import { cachedMethod } from './cached-method.js';
import { exceptionRetained } from './exception-retained.js';
import { unboundedCache } from './unbounded-cache.js';
import { gcDebugLeak } from './gc-debug-leak.js';
import { unclosedFile } from './unclosed-file.js';
import { unclosedResource } from './unclosed-resource.js';
import { closeNotInFinally } from './close-not-in-finally.js';
import { lockWithoutFinally } from './lock-without-finally.js';
/** All rules, ordered by code. */
export const RULES = [
    boundMethodOnSelf,
    closureCapturesSelf,
    backReference,
    mutualReference,
    instanceRegistry,
    callbackRegistration,
    delMethod,
    cachedMethod,
    exceptionRetained,
    unboundedCache,
    gcDebugLeak,
    unclosedFile,
    unclosedResource,
    closeNotInFinally,
    lockWithoutFinally,
];
/** Every rule code, for configuration validation. */
export const RULE_CODES = RULES.map((r) => r.meta.code);
/** The rule with a given code or name. */
export function findRule(codeOrName) {
    return RULES.find((r) => r.meta.code === codeOrName.toUpperCase() || r.meta.name === codeOrName);
}
//# sourceMappingURL=index.js.map