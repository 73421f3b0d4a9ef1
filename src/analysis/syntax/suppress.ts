/**
 * Inline suppressions on a finding's primary line:
 * `# leakguard: ignore`, `# leakguard: ignore[LG101,LG201]`, `# noqa: LG101`,
 * and another linter's suppression of the same check (EQUIVALENT_CHECKS):
 * a maintainer who silenced flake8-bugbear's B019 or pylint's
 * `consider-using-with` on that line has already decided the pattern is
 * deliberate there.
 */

const LEAKGUARD_IGNORE = /#\s*leakguard:\s*ignore\b(?:\[([^\]]*)\])?/i;
const NOQA = /#\s*noqa:\s*([A-Z]+[0-9]+(?:[\s,]+[A-Z]+[0-9]+)*)/i;
/**
 * `# pylint: disable=a,b` (trailing, it applies to its own line) or `# pylint: disable-next=a`
 * (group 1); alone on a comment line, either applies to the statement below.
 */
const PYLINT_DISABLE = /#\s*pylint:\s*disable(-next)?\s*=\s*([\w-]+(?:\s*,\s*[\w-]+)*)/i;

const RESOURCE_RULES = ['LG201', 'LG202', 'LG203', 'LG204'];

/**
 * Other linters' checks that report the same pattern as a leakguard rule,
 * by the code or name their suppression comments use.
 */
const EQUIVALENT_CHECKS: ReadonlyMap<string, readonly string[]> = new Map([
  // flake8-bugbear and ruff: cached-instance-method (`@lru_cache`/`@cache` on a method)
  ['B019', ['LG108']],
  // pylint: method-cache-max-size-none
  ['W1518', ['LG108']],
  ['METHOD-CACHE-MAX-SIZE-NONE', ['LG108']],
  // ruff (flake8-simplify): open-file-with-context-handler — `open()` outside `with`
  ['SIM115', ['LG201', 'LG203']],
  // pylint: consider-using-with — open, Popen, sockets' and pools' constructors, `lock.acquire()`
  ['R1732', RESOURCE_RULES],
  ['PLR1732', RESOURCE_RULES],
  ['CONSIDER-USING-WITH', RESOURCE_RULES],
]);

/** Codes a line suppresses: `'all'`, a set of codes, or null when none. */
export function suppressedCodes(lineText: string): 'all' | Set<string> | null {
  if (!lineText.includes('#')) return null;
  const lg = LEAKGUARD_IGNORE.exec(lineText);
  if (lg) {
    if (lg[1] === undefined) return 'all';
    return codeSet(lg[1]);
  }
  let codes: Set<string> | null = null;
  const noqa = NOQA.exec(lineText);
  if (noqa) codes = codeSet(noqa[1] as string);
  const pylint = PYLINT_DISABLE.exec(lineText);
  if (pylint && !pylint[1]) codes = new Set([...(codes ?? []), ...codeSet(pylint[2] as string)]);
  return codes && withEquivalents(codes);
}

/** `codes` with the leakguard rules their other linters' checks stand for. */
function withEquivalents(codes: Set<string>): Set<string> {
  for (const code of [...codes]) for (const own of EQUIVALENT_CHECKS.get(code) ?? []) codes.add(own);
  return codes;
}

function codeSet(list: string): Set<string> {
  return new Set(
    list
      .split(/[\s,]+/)
      .map((c) => c.trim().toUpperCase())
      .filter(Boolean),
  );
}

/** The reference-cycle rules: a cycle the code's own comment says it makes on purpose is not news to its authors. */
const CYCLE_RULES: ReadonlySet<string> = new Set(['LG101', 'LG102', 'LG103', 'LG104']);
/** `# creates reference cycle`, `# we are creating a reference loop`, `# circular reference`. */
const ACKNOWLEDGED_CYCLE = /\b(?:ref(?:erence)?s?[ -]?(?:cycle|loop)s?|circular[ -]ref(?:erence)?s?)\b/i;
/** …unless the comment says the code avoids or breaks one (`# avoid a reference cycle`, `# no reference loop here`). */
const DENIED_CYCLE = /\b(?:avoid\w*|prevent\w*|break\w*|no|not|without|never|don't|fix\w*|leak\w*)\b/i;

/**
 * Whether the statement at 1-based `line` says, in a comment on it or in the
 * comment lines directly above it, that it makes a reference cycle on purpose.
 */
function acknowledgesCycle(lineText: (line: number) => string, line: number): boolean {
  const own = lineText(line);
  const comments = own.includes('#') ? [own.slice(own.indexOf('#'))] : [];
  for (let above = line - 1; above >= 1 && line - above <= 6; above--) {
    const text = lineText(above);
    if (!/^\s*#/.test(text)) break;
    comments.push(text);
  }
  return comments.some((c) => ACKNOWLEDGED_CYCLE.test(c) && !DENIED_CYCLE.test(c));
}

/**
 * Whether `code` is silenced on 1-based `line`: by that line's comment, by a
 * comment there or just above that says the statement makes a reference cycle
 * on purpose (for the cycle rules), or by a pylint pragma on a comment line just above it (pylint's own pragma on a line
 * of its own covers what follows it; only the comment lines directly above
 * the statement are read here).
 */
export function isSuppressed(lineText: (line: number) => string, line: number, code: string): boolean {
  const codes = suppressedCodes(lineText(line));
  if (codes === 'all' || codes?.has(code)) return true;
  // Ex) # we are creating a reference loop, as the listener resolves the data wrapper
  //     listener._signal = self
  if (CYCLE_RULES.has(code) && acknowledgesCycle(lineText, line)) return true;
  // Ex) # pylint: disable=consider-using-with
  //     fp = open(filename)
  for (let above = line - 1; above >= 1; above--) {
    const text = lineText(above);
    if (!/^\s*#/.test(text)) return false;
    // The pragma is the comment itself, not a mention inside another one
    const pylint = PYLINT_DISABLE.exec(text);
    if (pylint && pylint.index === text.indexOf('#') && withEquivalents(codeSet(pylint[2] as string)).has(code)) return true;
  }
  return false;
}
