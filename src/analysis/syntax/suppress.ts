/**
 * Inline suppressions on a finding's primary line:
 * `# leakguard: ignore`, `# leakguard: ignore[LG101,LG201]`, `# noqa: LG101`.
 */

const LEAKGUARD_IGNORE = /#\s*leakguard:\s*ignore\b(?:\[([^\]]*)\])?/i;
const NOQA = /#\s*noqa:\s*([A-Z]+[0-9]+(?:[\s,]+[A-Z]+[0-9]+)*)/i;

/** Codes a line suppresses: `'all'`, a set of codes, or null when none. */
export function suppressedCodes(lineText: string): 'all' | Set<string> | null {
  if (!lineText.includes('#')) return null;
  const lg = LEAKGUARD_IGNORE.exec(lineText);
  if (lg) {
    if (lg[1] === undefined) return 'all';
    return codeSet(lg[1]);
  }
  const noqa = NOQA.exec(lineText);
  if (noqa) return codeSet(noqa[1] as string);
  return null;
}

function codeSet(list: string): Set<string> {
  return new Set(
    list
      .split(/[\s,]+/)
      .map((c) => c.trim().toUpperCase())
      .filter(Boolean),
  );
}

/** Whether a line's comment silences `code`. */
export function isSuppressed(lineText: string, code: string): boolean {
  const codes = suppressedCodes(lineText);
  if (!codes) return false;
  return codes === 'all' || codes.has(code);
}
