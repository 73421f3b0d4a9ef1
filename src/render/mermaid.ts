/**
 * Reference cycles drawn as Mermaid `graph LR` diagrams, which GitHub renders
 * in check-run summaries and comments. Labels come from user code (class and
 * attribute names, subscripts), so everything Mermaid or Markdown could read
 * as syntax is written as a Mermaid entity code.
 */
import type { CycleEdge } from '../analysis/types.js';
import { codeBlock } from './markdown.js';

// Mermaid's entity codes (`#quot;`, `#35;`) are decoded inside quoted labels; raw quotes, pipes,
// brackets, backticks (markdown strings) and `#` itself would end or change the label.
const MERMAID_ESCAPES: Record<string, string> = {
  '#': '#35;',
  '"': '#quot;',
  '|': '#124;',
  '<': '#lt;',
  '>': '#gt;',
  '`': '#96;',
  '[': '#91;',
  ']': '#93;',
  '{': '#123;',
  '}': '#125;',
  '(': '#40;',
  ')': '#41;',
};

/** Escapes a label for a quoted Mermaid node or edge label. */
export function escapeMermaidLabel(text: string): string {
  return text.replace(/\r?\n/g, ' ').replace(/[#"|<>`[\]{}()]/g, (ch) => MERMAID_ESCAPES[ch] ?? ch);
}

/** The Mermaid source (`graph LR` …) of a cycle: one node per object, one labelled arrow per strong reference. */
export function cycleGraph(cycle: readonly CycleEdge[]): string {
  const ids = new Map<string, string>();
  const nodeId = (label: string): string => {
    let id = ids.get(label);
    if (id === undefined) {
      // Ids are generated, never taken from the code, so no label can clash with Mermaid keywords (`end`, `graph`).
      id = `n${ids.size}`;
      ids.set(label, id);
    }
    return id;
  };
  const lines = ['graph LR'];
  for (const edge of cycle) {
    const from = nodeId(edge.from);
    const to = nodeId(edge.to);
    lines.push(`  ${from}["${escapeMermaidLabel(edge.from)}"] -->|"${escapeMermaidLabel(edge.via)}"| ${to}["${escapeMermaidLabel(edge.to)}"]`);
  }
  return lines.join('\n');
}

/** A ```` ```mermaid ```` block of a cycle, ready to paste into Markdown. */
export function cycleDiagram(cycle: readonly CycleEdge[]): string {
  return codeBlock(cycleGraph(cycle), 'mermaid');
}
