/** What every part of an Action run shares, and what a mode hands back to `main`. */
import type { Rule } from '../analysis/rule.js';
import type { RequestPolicy } from '../github/octokit.js';
import type { Clock } from '../github/reporters.js';
import type { CheckConclusion } from '../render/index.js';
import type { ActionSettings } from './inputs.js';
import type { Runner } from './runner.js';

/** One run of the Action: its settings, the runner's log and the collaborators tests may swap. */
export interface ActionContext {
  /** The step's environment (`LEAKGUARD_WORKERS` and the time budgets are read from it, as the App reads them). */
  env: Readonly<Record<string, string | undefined>>;
  settings: ActionSettings;
  runner: Runner;
  rules: readonly Rule[];
  policy: RequestPolicy;
  clock: Clock;
  /** More options for the GitHub clients (tests turn Probot's throttling off). */
  octokitOptions?: Record<string, unknown>;
}

/** How a mode ended: the step's outputs and whether the step fails. */
export interface ActionResult {
  /** The verdict (the check run's, or the one the step stands for); null when nothing was judged. */
  conclusion: CheckConclusion | null;
  /** Findings reported, when the run got that far. */
  findings?: number;
  /** The SARIF file written, as an absolute path. */
  sarifFile?: string;
  /** The step fails (exit status 1). */
  failed: boolean;
}
