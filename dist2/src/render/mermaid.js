import { codeBlock } from './markdown.js';
// Mermaid's entity codes (`#quot;`, `#35;`) are decoded inside quoted labels; raw quotes, pipes,
// brackets, backticks (markdown strings) and `#` itself would end or change the label.
const MERMAID_ESCAPES = {
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
export function escapeMermaidLabel(text) {
    return text.replace(/\r?\n/g, ' ').replace(/[#"|<>`[\]{}()]/g, (ch) => MERMAID_ESCAPES[ch] ?? ch);
}
/** The Mermaid source (`graph LR` …) of a cycle: one node per object, one labelled arrow per strong reference. */
export function cycleGraph(cycle) {
    const ids = new Map();
    const nodeId = (label) => {
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
export function cycleDiagram(cycle) {
    return codeBlock(cycleGraph(cycle), 'mermaid');
}
//# sourceMappingURL=mermaid.js.map