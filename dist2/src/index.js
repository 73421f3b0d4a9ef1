/**
 * The Probot entry point (`probot run ./dist/src/index.js`): wires events to
 * handlers and nothing else (see `src/github/app.ts`).
 */
import { leakguardApp } from './github/app.js';
export default leakguardApp;
//# sourceMappingURL=index.js.map