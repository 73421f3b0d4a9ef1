import { pythonNodeTypes } from './parser.js';
/**
 * The children list every leaf shares. Never mutated (no node's children are
 * edited after conversion); not frozen, because frozen arrays take `for…of`
 * off V8's fast path and every loop over children would allocate.
 */
const NO_CHILDREN = [];
/**
 * A plain-JS copy of the parts of a tree-sitter tree the rules need.
 *
 * Crossing into the native binding costs far more than reading a JS field, so
 * the tree is copied once, in one cursor walk, and every rule then reads JS
 * objects. Unnamed tokens are kept only when they carry a field (operators);
 * the insides of plain string literals are not copied at all.
 */
export class PyNode {
    constructor(doc, type, field, start, end, named, parent = null) {
        this.doc = doc;
        this.type = type;
        this.field = field;
        this.start = start;
        this.end = end;
        this.named = named;
        this.children = NO_CHILDREN;
        this.parent = parent;
        this.textCache = undefined;
    }
    /** Source text of the node. */
    get text() {
        let text = this.textCache;
        if (text === undefined) {
            text = this.doc.text.slice(this.start, this.end);
            this.textCache = text;
        }
        return text;
    }
    /** 1-based line of the node's start. */
    get line() {
        return this.doc.lineOf(this.start);
    }
    /** 1-based line of the node's end (the line holding its last character). */
    get endLine() {
        return this.doc.lineOf(Math.max(this.start, this.end - 1));
    }
    /** First child carrying the given field name. */
    child(field) {
        for (const c of this.children)
            if (c.field === field)
                return c;
        return null;
    }
    /** All children carrying the given field name. */
    childrenOf(field) {
        return this.children.filter((c) => c.field === field);
    }
    /**
     * Named children (what tree-sitter calls `namedChildren`). Nodes whose
     * children are all named (all but operator expressions) answer with their
     * `children` list itself: do not mutate it.
     */
    get namedChildren() {
        const children = this.children;
        for (let i = 0; i < children.length; i++) {
            if (!children[i].named)
                return children.filter((c) => c.named);
        }
        return children;
    }
    /** Nearest ancestor (not this node) whose type is one of `types`. */
    ancestor(...types) {
        for (let p = this.parent; p; p = p.parent)
            if (types.includes(p.type))
                return p;
        return null;
    }
    /** Whether `other` lies within this node (inclusive). */
    contains(other) {
        return other.start >= this.start && other.end <= this.end;
    }
}
/** The source text of one file with a line index. Columns are UTF-16 based, like tree-sitter's. */
export class SourceDoc {
    text;
    lineStarts;
    /** Whether the text holds a low surrogate (the second half of an astral character); known on the first `columnOf`. */
    astral = undefined;
    constructor(text) {
        this.text = text;
        const starts = [0];
        for (let i = text.indexOf('\n'); i !== -1; i = text.indexOf('\n', i + 1))
            starts.push(i + 1);
        this.lineStarts = starts;
    }
    /** Number of lines (a trailing newline does not open a new line). */
    get lineCount() {
        const n = this.lineStarts.length;
        return this.text.endsWith('\n') ? n - 1 : n;
    }
    /** 1-based line holding the UTF-16 offset. */
    lineOf(offset) {
        const starts = this.lineStarts;
        let lo = 0;
        let hi = starts.length - 1;
        while (lo < hi) {
            const mid = (lo + hi + 1) >> 1;
            if (starts[mid] <= offset)
                lo = mid;
            else
                hi = mid - 1;
        }
        return lo + 1;
    }
    /** 1-based character column of an offset (astral characters count once). */
    columnOf(offset) {
        const lineStart = this.lineStarts[this.lineOf(offset) - 1];
        // Without astral characters every UTF-16 unit is a character: no scan, so many findings on one long line stay linear.
        this.astral ??= /[\uDC00-\uDFFF]/.test(this.text);
        if (!this.astral)
            return offset - lineStart + 1;
        let col = 1;
        for (let i = lineStart; i < offset; i++) {
            const c = this.text.charCodeAt(i);
            if (c >= 0xdc00 && c <= 0xdfff && i > lineStart)
                continue;
            col++;
        }
        return col;
    }
    /** Text of a 1-based line without its line break. */
    lineText(line) {
        const start = this.lineStarts[line - 1];
        if (start === undefined)
            return '';
        const next = this.lineStarts[line];
        const end = next === undefined ? this.text.length : next - 1;
        const raw = this.text.slice(start, end);
        return raw.endsWith('\r') ? raw.slice(0, -1) : raw;
    }
    /** Leading white space of a 1-based line. */
    indentOf(line) {
        return /^[ \t]*/.exec(this.lineText(line))?.[0] ?? '';
    }
}
function typeFacts() {
    const facts = { described: new Set(), leaves: new Set(), tokenFields: new Set(), fieldless: new Set(), fieldChildren: new Map(), soleField: new Map() };
    const info = pythonNodeTypes() ?? [];
    const subtypes = new Map();
    for (const t of info)
        if (t.named && 'subtypes' in t)
            subtypes.set(t.type, t.subtypes.filter((x) => x.named).map((x) => x.type));
    const expand = (name, out) => {
        if (out.has(name))
            return;
        out.add(name);
        for (const sub of subtypes.get(name) ?? [])
            expand(sub, out);
    };
    // Without the grammar's description every question is asked of the binding.
    for (const t of info) {
        if (!t.named)
            continue;
        facts.described.add(t.type);
        const fields = 'fields' in t ? t.fields : undefined;
        const children = 'children' in t ? t.children : undefined;
        if ('subtypes' in t)
            continue;
        if (!fields && !children)
            facts.leaves.add(t.type);
        const specs = Object.values(fields ?? {});
        if (specs.length === 0)
            facts.fieldless.add(t.type);
        if (specs.some((spec) => spec.types.some((x) => !x.named)))
            facts.tokenFields.add(t.type);
        if (specs.length > 0) {
            const named = new Set();
            for (const spec of specs)
                for (const x of spec.types)
                    if (x.named)
                        expand(x.type, named);
            facts.fieldChildren.set(t.type, named);
            facts.soleField.set(t.type, soleFields(fields ?? {}, children, expand));
        }
    }
    return facts;
}
/** Named child types that fill exactly one of `fields` and none of the unfielded `children`, with that field's name. */
function soleFields(fields, children, expand) {
    const fieldsOf = new Map();
    for (const [field, spec] of Object.entries(fields)) {
        const types = new Set();
        for (const x of spec.types)
            if (x.named)
                expand(x.type, types);
        for (const type of types) {
            const list = fieldsOf.get(type);
            if (list)
                list.add(field);
            else
                fieldsOf.set(type, new Set([field]));
        }
    }
    // node-types.json holds one entry for the unfielded children; the grammar package's typing declares a list.
    const unfielded = new Set();
    for (const spec of Array.isArray(children) ? children : children ? [children] : []) {
        for (const x of spec.types)
            if (x.named)
                expand(x.type, unfielded);
    }
    const sole = new Map();
    for (const [type, names] of fieldsOf)
        if (names.size === 1 && !unfielded.has(type))
            sole.set(type, [...names][0]);
    return sole;
}
const FACTS = typeFacts();
/**
 * The statements `FileModel` reads (imports, definitions, assignments and
 * deletions) and the `raise` statements the project facts read (`raised.ts`):
 * few enough that a list of them is read much faster than every node.
 */
export const DECLARATION_TYPES = new Set([
    'import_statement',
    'import_from_statement',
    'class_definition',
    'function_definition',
    'assignment',
    'delete_statement',
    'raise_statement',
]);
// Bits of `typeFlags`.
const NAMED = 1;
/** A token type: never has children worth a `gotoFirstChild`. */
const LEAF = 2;
/** Unnamed children may carry a field. */
const TOKEN_FIELDS = 4;
/** No child carries a field. */
const FIELDLESS = 8;
/** An `identifier` token. */
const IDENTIFIER = 16;
/** One of `DECLARATION_TYPES`. */
const DECLARATION = 32;
/** Some fields: which named children can carry one is known (`FACTS.fieldChildren`). */
const FIELD_CHILDREN = 64;
/** A type whose first child is a named node it starts with (`call` with its `function`): that child's start need not be asked. */
const STARTS_WITH_CHILD = 128;
/** A type whose last child, when kept, ends where the node does (`call` with its `arguments`): the node's end need not be asked. */
const ENDS_WITH_CHILD = 256;
/** Children are pieces of literal text (an f-string's), where white space belongs to them: `tokenStartAfter` does not apply. */
const RAW_TEXT = 512;
/** A hidden token may open the node (white space included), so `tokenStartAfter` does not find its start. */
const HIDDEN_START = 1024;
/** Flags hold the type id above these bits (the walk keeps the parent's id with its flags). */
const ID_SHIFT = 11;
// Expression and statement shapes that both begin with their first child and end with their last one.
const ENCLOSED_BY_CHILDREN = [
    'attribute',
    'call',
    'expression_statement',
    'assignment',
    'augmented_assignment',
    'keyword_argument',
    'binary_operator',
    'boolean_operator',
    'comparison_operator',
    'pair',
    'conditional_expression',
    'default_parameter',
    'typed_default_parameter',
    'with_item',
    'decorated_definition',
    'named_expression',
    'dotted_name',
    'aliased_import',
    'expression_list',
    'pattern_list',
    'typed_parameter',
    'as_pattern',
    'type',
];
/**
 * Types whose grammar rule opens with a named child (`call: function arguments`,
 * `attribute: object . attribute`), so a first child that is named starts where
 * the node does. Not every type: a `string_content` or a match `block` begins
 * with text that is no child.
 */
const STARTING_CHILD_TYPES = new Set([
    ...ENCLOSED_BY_CHILDREN,
    'subscript',
]);
/**
 * Types that end with their last child (no trailing text of their own), so
 * when that child is kept, its end is the node's end: `call` (its arguments),
 * `attribute` (its attribute name), `if_statement` (its last block). When the
 * last child is a token the walk skips (`return` alone, a closing `)`), the
 * binding is asked after all. Both lists were checked against a walk that
 * asks the binding for every position, over CPython's standard library.
 */
const ENDING_CHILD_TYPES = new Set([
    ...ENCLOSED_BY_CHILDREN,
    'function_definition',
    'class_definition',
    'if_statement',
    'elif_clause',
    'else_clause',
    'for_statement',
    'while_statement',
    'with_statement',
    'try_statement',
    'except_clause',
    'finally_clause',
    'return_statement',
    'raise_statement',
    'assert_statement',
    'delete_statement',
    'import_statement',
    'import_from_statement',
    'not_operator',
    'unary_operator',
    'await',
    'lambda',
    'yield',
    'list_splat',
    'dictionary_splat',
]);
/** Types whose children are f-string text and what it holds: white space there is text, not a gap between tokens. */
const RAW_TEXT_TYPES = new Set(['string', 'string_content', 'format_specifier']);
/**
 * Types the grammar lets open with a hidden token of the scanner: a `block`
 * with the indentation or the line break before its first statement (a
 * `match` body, an empty body). Checked against grammar.json: no other.
 */
const HIDDEN_START_TYPES = new Set(['block']);
// Per type id (several ids may share a name): its name and flags, learnt from the binding once per id.
const typeNames = [];
const typeFlags = [];
const fieldNames = [];
/**
 * The internalized copy of a name: strings from the binding are fresh heap
 * strings, and `node.type === 'call'` against a literal compares characters
 * unless both sides are internalized (then it is a pointer comparison).
 * Property keys are internalized, so a key read back is. The key goes on a
 * dictionary-mode object (`Object.create(null)`) and off again: an object
 * literal per name would add a hidden class per name, which costs far more
 * once the facts of a run internalize their strings (hundreds of thousands).
 */
export function internalize(name) {
    keyHolder[name] = 0;
    const key = Object.keys(keyHolder)[0];
    delete keyHolder[key];
    return key;
}
const keyHolder = Object.create(null);
function learnType(c, id) {
    const name = c.nodeType;
    let flags = 0;
    if (c.nodeIsNamed) {
        flags |= NAMED;
        // Types the grammar does not describe (`ERROR`) get the conservative answers.
        if (FACTS.leaves.has(name))
            flags |= LEAF;
        if (FACTS.fieldless.has(name))
            flags |= FIELDLESS;
        if (FACTS.tokenFields.has(name) || !FACTS.described.has(name))
            flags |= TOKEN_FIELDS;
        if (name === 'identifier')
            flags |= IDENTIFIER;
        if (DECLARATION_TYPES.has(name))
            flags |= DECLARATION;
        if (FACTS.fieldChildren.has(name))
            flags |= FIELD_CHILDREN;
        if (STARTING_CHILD_TYPES.has(name) && FACTS.described.has(name))
            flags |= STARTS_WITH_CHILD;
        if (ENDING_CHILD_TYPES.has(name) && FACTS.described.has(name))
            flags |= ENDS_WITH_CHILD;
        if (RAW_TEXT_TYPES.has(name) || !FACTS.described.has(name))
            flags |= RAW_TEXT;
        if (HIDDEN_START_TYPES.has(name) || !FACTS.described.has(name))
            flags |= HIDDEN_START;
    }
    typeNames[id] = internalize(name);
    typeFlags[id] = flags | (id << ID_SHIFT);
    return name;
}
/**
 * Types made of one field, then what follows it in another (`attribute`:
 * `object` `.` `attribute`; `assignment`: `left` `=` `right`, or `: type`, a
 * `type` node): a child that both fields can hold (an `identifier`) holds the
 * first when it is the node's first child, else the second. All of them start
 * with their first child (`STARTING_CHILD_TYPES`). Checked, like the lists
 * above, against the fields the binding gives, over CPython's standard library.
 */
const POSITIONAL_FIELDS = new Map([
    ['attribute', ['object', 'attribute']],
    ['keyword_argument', ['name', 'value']],
    ['assignment', ['left', 'right']],
    ['augmented_assignment', ['left', 'right']],
    ['binary_operator', ['left', 'right']],
    ['boolean_operator', ['left', 'right']],
    ['default_parameter', ['name', 'value']],
    ['typed_default_parameter', ['name', 'value']],
    ['subscript', ['value', 'subscript']],
    ['pair', ['key', 'value']],
    ['named_expression', ['name', 'value']],
]);
// What the field of a named child type under a parent type is, by type ids: 0 not yet known, 1 only the binding
// knows, 2 none, 3 the parent type's `POSITIONAL_FIELDS`, 4 + i the field `knownFieldNames[i]` (see `TypeFacts.soleField`).
const MAX_TABLE_ID = 512;
const fieldChildTable = new Uint8Array(MAX_TABLE_ID * MAX_TABLE_ID);
const ASK = 1;
const NO_FIELD = 2;
const POSITIONAL = 3;
const SOLE_FIELD = 4;
/** The internalized field names `fieldChildTable` refers to (few: one per field name of the grammar). */
const knownFieldNames = [];
/** Per parent type id, its `POSITIONAL_FIELDS` (internalized). */
const positionalFields = [];
function knownField(name) {
    const i = knownFieldNames.indexOf(name);
    return i === -1 ? knownFieldNames.push(internalize(name)) - 1 : i;
}
/** What `fieldChildTable` holds for a parent type and a named child type. */
function fieldEntry(parentId, childId) {
    const parent = typeNames[parentId];
    const child = typeNames[childId];
    const children = FACTS.fieldChildren.get(parent);
    if (children && !children.has(child))
        return NO_FIELD;
    const sole = FACTS.soleField.get(parent)?.get(child);
    if (sole !== undefined) {
        const i = knownField(sole);
        return SOLE_FIELD + i < 256 ? SOLE_FIELD + i : ASK;
    }
    const positional = POSITIONAL_FIELDS.get(parent);
    if (!positional || (typeFlags[parentId] & STARTS_WITH_CHILD) === 0)
        return ASK;
    positionalFields[parentId] = [knownFieldNames[knownField(positional[0])], knownFieldNames[knownField(positional[1])]];
    return POSITIONAL;
}
/**
 * The field of a named child (of type id `childId`, the parent's first child
 * when `first`) of a parent with `parentFlags`: from the grammar when its type
 * can carry only one field there, or none, or its position says which; else
 * (and in a file with syntax errors, where nodes stand where the grammar does
 * not put them) from the binding.
 */
function namedChildField(parentFlags, childId, first, c, hasError) {
    if (!(parentFlags & FIELD_CHILDREN))
        return fieldName(c);
    const parentId = parentFlags >>> ID_SHIFT;
    if (parentId >= MAX_TABLE_ID || childId >= MAX_TABLE_ID)
        return fieldName(c);
    const at = parentId * MAX_TABLE_ID + childId;
    let known = fieldChildTable[at];
    if (known === 0) {
        known = fieldEntry(parentId, childId);
        fieldChildTable[at] = known;
    }
    if (known === NO_FIELD)
        return null;
    if (known === ASK || hasError)
        return fieldName(c);
    if (known === POSITIONAL)
        return positionalFields[parentId][first ? 0 : 1];
    return knownFieldNames[known - SOLE_FIELD];
}
function fieldName(c) {
    const id = c.currentFieldId;
    if (!id)
        return null;
    let name = fieldNames[id];
    if (name === undefined) {
        const fieldName = c.currentFieldName;
        name = fieldName ? internalize(fieldName) : null;
        fieldNames[id] = name;
    }
    return name;
}
const STRING_PREFIX = /^[rRbBuU]*[fF]/;
/** Whether a string literal may hold code (f-string interpolations), so its children are worth copying. */
function isFormatString(text, start) {
    return STRING_PREFIX.test(text.slice(start, start + 3));
}
/**
 * The end of the identifier starting at `start`: the longest run of ASCII
 * letters, digits and underscores, as the grammar's token reads it. A name
 * running into a non-ASCII character asks the binding instead (`\p{XID_Continue}`).
 */
function identifierEnd(text, start, c) {
    let i = start;
    for (;;) {
        const ch = text.charCodeAt(i);
        if ((ch >= 97 && ch <= 122) || (ch >= 65 && ch <= 90) || (ch >= 48 && ch <= 57) || ch === 95)
            i++;
        else if (ch >= 128)
            return c.endIndex;
        else
            return i;
    }
}
/**
 * Where the token after `from` starts when only spaces, tabs, form feeds and
 * line breaks come between (the white space the grammar skips); anything else
 * there (a line continuation, other white space, the end of the text) asks
 * the binding. Comments are nodes of their own, so never in between.
 */
function tokenStartAfter(text, from, c) {
    let i = from;
    for (;;) {
        const ch = text.charCodeAt(i);
        if (ch === 32 || ch === 9 || ch === 10 || ch === 13 || ch === 12)
            i++;
        else if (ch > 32 && ch < 127 && ch !== 92)
            return i;
        else
            return c.startIndex;
    }
}
// Scratch stacks of the walk: children collected for the open nodes, where each open node's children begin, and its flags.
const pending = [];
const marks = [];
const openFlags = [];
/** Close the innermost open node: hand it its collected children as an exactly-sized array. */
function closeNode(node) {
    const mark = marks.pop();
    openFlags.pop();
    // `splice` hands back the collected children as an exactly-sized array and truncates `pending` in one step.
    if (pending.length > mark)
        node.children = pending.splice(mark);
}
/**
 * Copy a tree-sitter tree into `PyNode`s in one iterative cursor walk (no
 * recursion: deep nesting is safe). Per node it asks the binding only what the
 * grammar leaves open: the type id always; for kept nodes the positions it
 * cannot tell from the text or a neighbour (an identifier's end, a first
 * child's start, a parent's end at its last child); the field where the parent
 * type can give this child one; and whether there are children where the type
 * can have any. A file with syntax errors gets every position from the binding.
 */
export function convertTree(tree, doc) {
    const c = tree.walk();
    const text = doc.text;
    const rootId = c.nodeTypeId;
    const root = new PyNode(doc, typeNames[rootId] ?? learnType(c, rootId), null, c.startIndex, c.endIndex, true);
    const nodes = [root];
    const declarations = [];
    const hasError = tree.rootNode.hasError;
    if (!c.gotoFirstChild())
        return { root, nodes, declarations, hasError };
    pending.length = 0;
    marks.length = 0;
    openFlags.length = 0;
    let parent = root;
    // The flags of `parent`'s type.
    let parentFlags = typeFlags[rootId];
    marks.push(0);
    openFlags.push(parentFlags);
    // Whether the cursor is on the first child of `parent` (see STARTS_WITH_CHILD).
    let first = true;
    // The node copied for the cursor's node once it is visited (with its subtree), or null when the walk skipped it.
    let last = null;
    for (;;) {
        // The previous sibling, when the walk kept it: no token lies between its end and this node.
        const previous = last;
        const id = c.nodeTypeId;
        const type = typeNames[id] ?? learnType(c, id);
        const flags = typeFlags[id];
        last = null;
        if (flags & NAMED) {
            const field = parentFlags & FIELDLESS ? null : namedChildField(parentFlags, id, first, c, hasError);
            const start = hasError
                ? c.startIndex
                : first && parentFlags & STARTS_WITH_CHILD
                    ? parent.start
                    : previous && !(parentFlags & RAW_TEXT) && !(flags & HIDDEN_START)
                        ? tokenStartAfter(text, previous.end, c)
                        : c.startIndex;
            const descend = !(flags & LEAF) && (type !== 'string' || isFormatString(text, start));
            // An identifier's end is where its name ends (without syntax errors there are no zero-width MISSING ones);
            // a node that ends with its last child learns its end when that child is done (-1 until then).
            const end = hasError ? c.endIndex : flags & IDENTIFIER ? identifierEnd(text, start, c) : descend && flags & ENDS_WITH_CHILD ? -1 : c.endIndex;
            const node = new PyNode(doc, type, field, start, end, true, parent);
            pending.push(node);
            nodes.push(node);
            if (flags & DECLARATION)
                declarations.push(node);
            if (descend && c.gotoFirstChild()) {
                marks.push(pending.length);
                openFlags.push(flags);
                parent = node;
                parentFlags = flags;
                first = true;
                continue;
            }
            if (end === -1)
                node.end = c.endIndex;
            last = node;
        }
        else if (parentFlags & TOKEN_FIELDS) {
            const field = fieldName(c);
            if (field) {
                const node = new PyNode(doc, type, field, c.startIndex, c.endIndex, false, parent);
                pending.push(node);
                last = node;
            }
        }
        first = false;
        while (!c.gotoNextSibling()) {
            closeNode(parent);
            if (parent === root || !c.gotoParent()) {
                while (parent !== root) {
                    // (Not reached in practice: the cursor climbs back to the root above.)
                    if (parent.end === -1)
                        parent.end = last?.end ?? parent.start;
                    last = parent;
                    parent = parent.parent;
                    closeNode(parent);
                }
                return { root, nodes, declarations, hasError };
            }
            // The cursor is back on `parent`: its end is its last child's, when that child was kept.
            if (parent.end === -1)
                parent.end = last ? last.end : c.endIndex;
            last = parent;
            parent = parent.parent;
            parentFlags = openFlags[openFlags.length - 1];
        }
    }
}
//# sourceMappingURL=tree.js.map