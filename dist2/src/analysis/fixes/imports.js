const IMPORT_TYPES = new Set(['import_statement', 'import_from_statement', 'future_import_statement']);
const DEFINITION_TYPES = new Set(['class_definition', 'function_definition', 'decorated_definition']);
const topLevelCache = new WeakMap();
/**
 * The names the module's own top-level imports bind. `model.imports` also holds
 * imports inside functions and under `if TYPE_CHECKING:`, which are not visible
 * (or not there at run time) where a fix uses the name.
 */
function topLevelImports(model) {
    const cached = topLevelCache.get(model);
    if (cached)
        return cached;
    const bound = new Map();
    let lastLeading = null;
    let leading = true;
    for (const s of model.tree.root.namedChildren) {
        if (DEFINITION_TYPES.has(s.type))
            leading = false;
        if (!IMPORT_TYPES.has(s.type))
            continue;
        if (leading)
            lastLeading = s;
        const module = s.child('module_name')?.text.replace(/\s+/g, '') ?? '';
        for (const item of s.childrenOf('name')) {
            const target = item.type === 'aliased_import' ? item.child('name')?.text : item.text;
            const alias = item.type === 'aliased_import' ? item.child('alias')?.text : null;
            if (!target)
                continue;
            if (s.type === 'import_statement')
                bound.set(alias ?? target.split('.')[0], alias ? target : target.split('.')[0]);
            else
                bound.set(alias ?? target, module ? `${module}.${target}` : target);
        }
    }
    const result = { bound, lastLeading };
    topLevelCache.set(model, result);
    return result;
}
/**
 * How the file can spell `module.member`: through a top-level import of the
 * member or of the module (under any alias), else through a new import —
 * `import module` (`style: 'module'`) or `from module import member`
 * (`style: 'member'`). Null when that new import would rebind a name the file
 * already uses for something else.
 */
export function spellMember(model, module, member, style = 'module') {
    const { bound } = topLevelImports(model);
    const qualified = `${module}.${member}`;
    for (const [local, q] of bound)
        if (q === qualified)
            return { text: local, missingImport: null };
    for (const [local, q] of bound)
        if (q === module)
            return { text: `${local}.${member}`, missingImport: null };
    const head = module.split('.')[0];
    const name = style === 'member' ? member : head;
    const target = style === 'member' ? qualified : head;
    // Ex) `weakref = None` or `from .compat import weakref`: a new `import weakref` would clash with that binding.
    const current = model.imports.get(name);
    if ((current !== undefined && current !== target) || model.moduleBindings.has(name))
        return null;
    return style === 'member'
        ? { text: member, missingImport: `from ${module} import ${member}` }
        : { text: qualified, missingImport: `import ${module}` };
}
/**
 * A whole-line edit adding `statement` after the last import of the file's
 * leading import block (before its first definition), so it sits with the
 * other imports; null when there is no such import, or when it does not end
 * before `beforeLine` (the name would be used before it is imported, or the
 * edit would overlap another edit of the fix).
 */
export function importEdit(model, statement, beforeLine) {
    const last = topLevelImports(model).lastLeading;
    if (!last || last.endLine >= beforeLine)
        return null;
    const line = last.endLine;
    return { line, endLine: line, text: `${model.doc.lineText(line)}\n${statement}` };
}
/**
 * The fix's edits plus the edit adding `statement` (a spelling's
 * `missingImport`; nothing to do when null), placed above every edit of the
 * fix, and the note sentence that says it was added or must be.
 */
export function withImport(model, edits, statement) {
    if (!statement)
        return { edits, note: '', missing: false };
    const edit = importEdit(model, statement, Math.min(...edits.map((e) => e.line)));
    if (edit)
        return { edits: [...edits, edit], note: `Adds \`${statement}\` to the imports.`, missing: false };
    return { edits, note: `Add \`${statement}\` at the top of the file.`, missing: true };
}
//# sourceMappingURL=imports.js.map