import { relayedFlags, relaysFlags, type ArgSlot, type ClassSummary, type ProjectIndex } from './project.js';
import { accepts, type CalleeRef, type CallShape, type Forward, type FunctionSummary } from './summaries.js';
import { callableModel, methodModel, type CallableModel } from './library.js';

/**
 * What a callee does with an argument, across files: the callee's own summary
 * when it is in the analysed files (following its hand-offs and base
 * classes), else the library model, else `unknown` — and a rule that gets
 * `unknown` falls back to what it would have said without the project.
 */

/** What happens to an argument once handed to a callee. */
export interface ArgumentFate {
  /** `strong`: kept after the call; `weak`: kept only weakly; `none`: used and dropped (or copied); `unknown`: no code or model says. */
  keep: 'strong' | 'weak' | 'none' | 'unknown';
  /** The result of the call holds the argument (returned as is or wrapped). */
  returned: boolean;
  /** The callee closes it. */
  closes: boolean;
  /** Where it is kept strongly or weakly, when analysed code does it. */
  where: { path: string; line: number; fn: string } | null;
  /** The library row that decided it. */
  model: CallableModel | null;
  /** Analysed code decided it (a function summary), not a library row or a guess. */
  analysed: boolean;
  /**
   * The callee (or one it hands the argument to) takes a bound method apart to keep its instance
   * weakly (`ParamEffect.splitsMethod`): a bound method given to it does not keep its instance alive.
   */
  splitsMethod?: true;
}

const UNKNOWN: ArgumentFate = { keep: 'unknown', returned: false, closes: false, where: null, model: null, analysed: false };
const NONE: ArgumentFate = { keep: 'none', returned: false, closes: false, where: null, model: null, analysed: false };
const MAX_DEPTH = 6;

const memo = new WeakMap<ProjectIndex, Map<string, ArgumentFate>>();

/** Forgets the fates computed for a project (a file was added since). */
export function forgetFates(project: ProjectIndex): void {
  memo.delete(project);
}

/** What `callee` does with the argument in `slot`; `imports` are the calling file's (for library rows restricted by import). */
export function argumentFate(project: ProjectIndex, callee: CalleeRef, slot: ArgSlot, imports: readonly string[], depth = 0): ArgumentFate {
  if (depth > MAX_DEPTH) return UNKNOWN;
  switch (callee.kind) {
    case 'library':
      return libraryFate(callableModel(callee.name));
    case 'method':
      return methodFate(project, callee.name, slot, imports, depth, callee.shape);
    case 'self-method': {
      const cls = project.classAt(callee.path, callee.cls);
      const m = cls ? project.methodOf(cls, callee.name) : null;
      return m ? summaryFate(project, m, slot, depth + 1) : UNKNOWN;
    }
    case 'typed': {
      const cls = project.typeOf(callee.type);
      const m = cls ? project.methodOf(cls, callee.name) : null;
      // Ex) super().connect(host, port, cb) with Client.connect only calling cb: decided there (also when nothing is kept)
      if (m && !m.stub) {
        const fate = summaryFate(project, m, slot, depth + 1);
        return fate.analysed ? atMethod(fate, m) : fate;
      }
      // Ex) transport: BaseTransport with `def register(self, cb): raise NotImplementedError` — the overrides decide
      if (m) return methodFate(project, callee.name, slot, imports, depth);
      // Ex) self._signal = Signal() with Signal from a library: the method name's model decides
      return cls ? UNKNOWN : methodFate(project, callee.name, slot, imports, depth);
    }
    case 'ref': {
      const cls = project.resolve(callee.ref);
      if (cls) return constructorFate(project, cls, slot, depth);
      const fn = project.resolveFunction(callee.ref);
      if (fn) return summaryFate(project, fn, slot, depth + 1);
      const qualified = callee.ref.module ? `${callee.ref.module.replace(/^\.+/, '')}.${callee.ref.name}` : callee.ref.name;
      // Ex) pydispatch.dispatcher.connect: no row of its own, the `.connect` row for the library it comes from
      return libraryFate(callableModel(qualified) ?? methodModel(callee.ref.name, [qualified]));
    }
  }
}

/** What a class's constructor does with an argument: its `__init__` (or a base's), or the fields of a generated one. */
function constructorFate(project: ProjectIndex, cls: ClassSummary, slot: ArgSlot, depth: number): ArgumentFate {
  const init = project.methodOf(cls, '__init__');
  if (init) {
    const fate = summaryFate(project, init, slot, depth + 1);
    // The new object is the call's result: what __init__ keeps on self, the result holds.
    return fate.keep === 'strong' && fate.where?.fn.endsWith('__init__') ? { ...fate, returned: true } : fate;
  }
  const stored = project.storedArgument(cls, slot);
  if (stored) return { keep: 'strong', returned: true, closes: false, where: { path: stored.cls.path, line: stored.line, fn: `${stored.cls.name}.__init__` }, model: null, analysed: true };
  // Ex) class Button(tk.Button): pass — the constructor is a library's
  return cls.bases.length > 0 ? UNKNOWN : NONE;
}

/** A method of a receiver whose class is unknown: the analysed methods of that name that handle the argument agree, or the library model. */
function methodFate(project: ProjectIndex, name: string, slot: ArgSlot, imports: readonly string[], depth: number, shape?: CallShape): ArgumentFate {
  const row = methodModel(name, imports);
  // Ex) from pubsub import pub … topic = pub.getDefaultTopicMgr().getOrCreateTopic(name); topic.subscribe(listener) — in a
  //     file using a library whose method of that name holds callbacks weakly, the library's method, not a same-named one of the project
  if (row?.when && row.effect === 'registers-weak') return libraryFate(row);
  // Only candidates that do something with the argument (keep it, hand it on) say what such a method is:
  // an unrelated `Database.connect(self, url)` says nothing about `bus.connect(callback)`.
  const named = project
    .methodsNamed(name)
    // Ex) bus.connect(cb, signal=x) is not `Agent.connect(self, factory)`: it takes no `signal`
    .filter((m) => !m.stub && (!shape || accepts(m, shape)));
  // Ex) napari/_vendor/jsonform/signal.py's BoundSignal.connect beside napari/utils/events' EventEmitter.connect: a copy of
  //     another project's code serves that code, not a receiver of unknown class in a file that imports nothing from it
  const own = named.filter((m) => {
    const pkg = vendoredPackage(m.path);
    return pkg === null || imports.some((q) => `.${q}.`.includes(`.${pkg}.`));
  });
  const all = (own.length > 0 ? own : named)
    .map((m) => {
      return atMethod(summaryFate(project, m, slot, depth + 1), m);
    });
  // Ex) def register_callback(self, cb): async def run(): cb() … self.create_task(run()) — or rcb = ReactorCallback(self, cb), a
  //     wrapper that unregisters itself when it fires — with no unregister_callback anywhere in the analysed files: the
  //     project's own registry, which runs the callback and lets it go
  const letGo = (f: ArgumentFate): boolean => f.keep === 'none' || (f.keep === 'strong' && !!f.where && firesOnceAt(project, f.where));
  if (row?.undo && all.length > 0 && all.every((f) => f.analysed && letGo(f) && !f.returned) && row.undo.every((u) => !project.definesMethod(u.replace(/^.*\./, '')))) {
    return { ...(all[0] as ArgumentFate), keep: 'none' };
  }
  const fates = all.filter((f) => f.keep === 'strong' || f.keep === 'weak');
  // Methods of one name that disagree (a weak `Signal.connect` and a `Proxy.connect` that keeps its factory) decide nothing.
  if (fates.length > 0) {
    const first = fates[0] as ArgumentFate;
    if (!fates.every((f) => f.keep === first.keep)) return UNKNOWN;
    // Ex) EventEmitter.connect takes bound methods apart, EmitterGroup.connect hands them to it: both keep instances weakly
    const { splitsMethod: _, ...rest } = first;
    return fates.every((f) => f.splitsMethod) ? { ...rest, splitsMethod: true } : rest;
  }
  // Ex) def register_cb(self, cb): self._methods.append((weakref.ref(cb.__self__), cb.__func__)) — keeps only the parts
  const split = all.find((f) => f.splitsMethod);
  if (split) return split;
  return libraryFate(row);
}

const VENDORED_PACKAGE = /(?:^|\/)(?:_?vendor(?:ed)?|third_?party|externals?)\/([^/]+)/i;

/** The package of a file in a folder of code copied from another project (`jsonform` for `pkg/_vendor/jsonform/signal.py`), or null. */
function vendoredPackage(path: string): string | null {
  return VENDORED_PACKAGE.exec(path)?.[1]?.replace(/\.pyi?$/, '') ?? null;
}

/** Whether a keep happened in the `__init__` of a class that fires once (`ClassSummary.firesOnce`). */
function firesOnceAt(project: ProjectIndex, where: { path: string; fn: string }): boolean {
  if (!where.fn.endsWith('.__init__')) return false;
  return !!project.classAt(where.path, where.fn.slice(0, -'.__init__'.length))?.firesOnce;
}

function libraryFate(model: CallableModel | null): ArgumentFate {
  if (!model) return UNKNOWN;
  switch (model.effect) {
    case 'weak':
    case 'registers-weak':
      return { ...NONE, keep: 'weak', model };
    case 'wraps':
      return { ...NONE, returned: true, model };
    case 'one-shot':
    case 'until-done':
    case 'thread':
    case 'test-double':
      return { ...NONE, model };
    case 'registers':
      return { ...NONE, keep: 'strong', model };
  }
}

/** What an analysed function does with the argument in `slot`, following where it hands it on. */
export function summaryFate(project: ProjectIndex, fn: FunctionSummary, slot: ArgSlot, depth = 0): ArgumentFate {
  const param = slot.keyword !== null ? (fn.params.includes(slot.keyword) ? slot.keyword : null) : slot.position !== null ? (fn.positional[slot.position] ?? null) : null;
  if (param === null) return UNKNOWN;
  const effect = Object.hasOwn(fn.effects, param) ? fn.effects[param] : undefined;
  const flagged = (effect?.keeps.some((k) => k.onlyIf) || effect?.forwards.some((fw) => relaysFlags(fw.slot))) ?? false;
  // Ex) subscribe(cb) and subscribe(cb, force_strong_ref=True) keep differently: the flags given are part of the question
  const key = `${fn.path}\u0000${fn.qualname}\u0000${param}${flagged ? `\u0000${slot.passes?.join(',') ?? ''}` : ''}`;
  let cache = memo.get(project);
  if (!cache) memo.set(project, (cache = new Map()));
  const known = cache.get(key);
  if (known) return known;
  // A recursive hand-off (a → b → a) is decided without itself.
  cache.set(key, UNKNOWN);
  let fate: ArgumentFate = { ...NONE, analysed: true };
  const given = (flag: string): boolean => !!slot.passes?.includes(flag) || (fn.positional.includes(flag) && !!slot.passes?.includes(`#${fn.positional.indexOf(flag)}`));
  if (effect) {
    const keep = effect.keeps.find((k) => !k.onlyIf || given(k.onlyIf));
    fate = {
      keep: keep ? 'strong' : effect.weak !== null ? 'weak' : 'none',
      returned: effect.returned !== null,
      closes: effect.closes,
      where: keep ? { path: fn.path, line: keep.line, fn: fn.qualname } : effect.weak !== null ? { path: fn.path, line: effect.weak, fn: fn.qualname } : null,
      model: null,
      analysed: true,
      ...(effect.splitsMethod !== undefined ? { splitsMethod: true as const } : {}),
    };
    fate = throughForwards(project, fn, effect.forwards, given, depth, fate);
  }
  cache.set(key, fate);
  return fate;
}

/** The fate, placed at the method that decided it when nothing deeper says where. */
function atMethod(fate: ArgumentFate, m: FunctionSummary): ArgumentFate {
  return fate.where ? fate : { ...fate, where: { path: m.path, line: m.line, fn: m.qualname } };
}

/** `fate` updated by what the callables a parameter is handed on to do with it. */
function throughForwards(project: ProjectIndex, fn: FunctionSummary, forwards: readonly Forward[], given: (flag: string) => boolean, depth: number, start: ArgumentFate): ArgumentFate {
  let fate = start;
  let unknown = false;
  for (const fw of forwards) {
    if (depth >= MAX_DEPTH) {
      unknown = true;
      break;
    }
    // Ex) super().subscribe(cb, force_strong_ref=force_strong_ref) — the flag is given there where it is given here
    const sub = argumentFate(project, fw.callee, relayedFlags(fw.slot, given), project.importsThrough(fn.path), depth + 1);
    if (sub.closes) fate = { ...fate, closes: true };
    if (sub.splitsMethod) fate = { ...fate, splitsMethod: true };
    // Ex) bs = self._coerce(bs) returns bs, then self._insert(bs): the result is kept only if what it is handed to keeps it
    const after = sub.returned && fw.result === 'kept' && fw.then ? throughForwards(project, fn, fw.then, given, depth + 1, { ...NONE, analysed: true }) : null;
    const kept = after ? after.keep : sub.returned && fw.result === 'kept' ? 'strong' : 'none';
    const here = { path: fn.path, line: fw.line, fn: fn.qualname };
    if (sub.keep === 'strong' || kept === 'strong') {
      if (fate.keep !== 'strong') fate = { ...fate, keep: 'strong', where: (sub.keep === 'strong' || !after ? sub.where : after.where) ?? here, model: sub.model };
    } else if ((sub.keep === 'weak' || kept === 'weak') && fate.keep === 'none') {
      fate = { ...fate, keep: 'weak', where: (sub.keep === 'weak' || !after ? sub.where : after.where) ?? here, model: sub.model };
    } else if (sub.keep === 'unknown' || kept === 'unknown') {
      unknown = true;
    }
    if (after?.closes) fate = { ...fate, closes: true };
    if (sub.returned && fw.result === 'returned') fate = { ...fate, returned: true };
  }
  return unknown && fate.keep === 'none' ? { ...fate, keep: 'unknown' } : fate;
}
