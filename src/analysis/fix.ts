import type { Fix } from './types.js';
import type { ProposedFix } from './rule.js';
import type { SourceDoc } from './tree.js';
import { parsePython } from './parser.js';

/**
 * Every fix is applied to the file and the result re-parsed before it is
 * offered: a suggestion that breaks the syntax or the indentation is worse
 * than none.
 */

/** The file's text with a fix's whole-line edits applied, or null when edits overlap or are out of range. */
export function applyEdits(doc: SourceDoc, edits: ProposedFix['edits']): string | null {
  const lines = doc.text.split('\n');
  const sorted = [...edits].sort((a, b) => b.line - a.line);
  let floor = Infinity;
  for (const e of sorted) {
    if (e.line < 1 || e.endLine < e.line || e.endLine > lines.length || e.endLine >= floor) return null;
    const eol = lines[e.endLine - 1]?.endsWith('\r') ? '\r' : '';
    const replacement = e.text.split('\n').map((l) => l + eol);
    lines.splice(e.line - 1, e.endLine - e.line + 1, ...replacement);
    floor = e.line;
  }
  return lines.join('\n');
}

/** The offered `Fix`, or null when the edits do not keep the file's syntax and indentation. */
export function verifyFix(doc: SourceDoc, proposed: ProposedFix, fileHadErrors: boolean): Fix | null {
  if (proposed.edits.length === 0 || fileHadErrors) return null;
  for (const e of proposed.edits) {
    const firstText = e.text.split('\n').find((l) => l.trim() !== '');
    const firstOld = firstNonBlank(doc, e.line, e.endLine);
    if (firstText !== undefined && firstOld !== null) {
      const indent = /^[ \t]*/.exec(firstText)?.[0] ?? '';
      if (indent !== doc.indentOf(firstOld)) return null;
    }
  }
  const text = applyEdits(doc, proposed.edits);
  if (text === null) return null;
  if (parsePython(text).rootNode.hasError) return null;
  const description = proposed.note ? `${proposed.title}. ${proposed.note}` : proposed.title;
  return { description, edits: proposed.edits.map((e) => ({ ...e })), applicability: proposed.applicability };
}

function firstNonBlank(doc: SourceDoc, from: number, to: number): number | null {
  for (let l = from; l <= to; l++) if (doc.lineText(l).trim() !== '') return l;
  return null;
}
