import { replaceInLines } from './edits.js';
/**
 * The edit that rebinds a container definition to `target()` (`weakref.WeakSet`,
 * `weakref.WeakKeyDictionary`), rewriting an annotation it understands
 * (`list[Foo]` → `weakref.WeakSet[Foo]`, `ClassVar[dict[K, V]]` →
 * `ClassVar[weakref.WeakKeyDictionary[K, V]]`); null for other annotations.
 */
export function redefineContainer(model, def, target, kind) {
    const type = def.definition.child('type');
    if (!type)
        return replaceInLines(model.doc, def.value, `${target}()`);
    const left = def.definition.child('left');
    if (!left)
        return null;
    const text = type.text.trim();
    const classVar = /^((?:typing\.)?ClassVar)\[(.*)\]$/.exec(text);
    const inner = classVar ? classVar[2] : text;
    const pattern = kind === 'set' ? /^(?:typing\.)?(?:list|List|set|Set|MutableSet)\[(.*)\]$/ : /^(?:typing\.)?(?:dict|Dict|MutableMapping)\[(.*)\]$/;
    const m = pattern.exec(inner);
    if (!m)
        return null;
    const weakType = `${target}[${m[1]}]`;
    const newType = classVar ? `${classVar[1]}[${weakType}]` : weakType;
    return replaceInLines(model.doc, def.definition, `${left.text}: ${newType} = ${target}()`);
}
//# sourceMappingURL=containers.js.map