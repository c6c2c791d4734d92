/**
 * Digit patterns, the regular-expression subset libphonenumber's metadata is written in, compiled into
 * a deterministic automaton: a number is then typed by one table lookup per digit instead of a handful
 * of RegExp calls.
 *
 * The subset: digits, `\d`, classes such as `[0-24-9]` (negated too), groups `(?:…)` and `(…)`, `|`, and
 * the quantifiers `?`, `*`, `+`, `{n}`, `{n,}`, `{n,m}`. Anything else (anchors, lookarounds, lazy
 * quantifiers) is refused with `undefined`, and the caller keeps using RegExps.
 */

/** A compiled automaton over the digits 0-9. */
export interface DigitAutomaton {
  /**
   * Bit `i` is set when pattern `i` matches the whole of `text` from `start` (which must hold ASCII
   * digits only): a full match, as `^(?:pattern)$` would test it.
   */
  fullMatches(text: string, start: number): number;
  /** Whether some pattern can match a prefix of `text` from `start` (a cheap filter before a RegExp). */
  matchesSomePrefix(text: string, start: number): boolean;
  /** The state after reading `text[start..end)` from the start state; {@link DEAD_STATE} once nothing can match. */
  stateAfter(text: string, start: number, end: number): number;
  /** The state after one more digit (0-9). */
  next(state: number, digit: number): number;
  /** The patterns matching exactly the digits read to reach `state` (bit `i` for pattern `i`). */
  accepted(state: number): number;
  /** How many deterministic states the patterns compiled into. */
  readonly stateCount: number;
}

/** The state no digit leads out of: nothing read so far is the start of a match. */
export const DEAD_STATE = -1;

/** Most deterministic states allowed; a pattern set past it is refused rather than bloating memory. */
export const MAX_AUTOMATON_STATES = 50_000;

const ALL_DIGITS = 0x3ff;

type PatternNode =
  | { readonly kind: 'digits'; readonly mask: number }
  | { readonly kind: 'sequence'; readonly items: readonly PatternNode[] }
  | { readonly kind: 'choice'; readonly options: readonly PatternNode[] }
  | { readonly kind: 'repeat'; readonly item: PatternNode; readonly min: number; readonly max: number };

class UnsupportedPattern extends Error {}

function parse(pattern: string): PatternNode {
  let at = 0;
  const peek = () => pattern[at];
  const fail = (): never => {
    throw new UnsupportedPattern();
  };
  const number = (): number => {
    const start = at;
    while (/[0-9]/.test(peek() ?? '')) at++;
    if (start === at) fail();
    return Number(pattern.slice(start, at));
  };
  const digitOf = (char: string | undefined): number => (char !== undefined && char >= '0' && char <= '9' ? Number(char) : fail());

  function characterClass(): PatternNode {
    at++; // [
    const negated = peek() === '^';
    if (negated) at++;
    let mask = 0;
    while (peek() !== ']') {
      if (peek() === '\\') {
        at++;
        if (peek() !== 'd') fail();
        at++;
        mask |= ALL_DIGITS;
        continue;
      }
      const from = digitOf(peek());
      at++;
      let to = from;
      if (peek() === '-' && pattern[at + 1] !== ']') {
        at++;
        to = digitOf(peek());
        at++;
      }
      for (let d = from; d <= to; d++) mask |= 1 << d;
    }
    at++; // ]
    return { kind: 'digits', mask: negated ? ~mask & ALL_DIGITS : mask };
  }

  function atom(): PatternNode {
    const char = peek();
    if (char === '(') {
      at++;
      if (pattern.startsWith('?:', at)) at += 2;
      else if (peek() === '?') fail(); // lookarounds, named groups
      const inner = choice();
      if (peek() !== ')') fail();
      at++;
      return inner;
    }
    if (char === '[') return characterClass();
    if (char === '\\') {
      at++;
      if (peek() !== 'd') fail();
      at++;
      return { kind: 'digits', mask: ALL_DIGITS };
    }
    const digit = digitOf(char);
    at++;
    return { kind: 'digits', mask: 1 << digit };
  }

  function quantified(item: PatternNode): PatternNode {
    const char = peek();
    let min: number;
    let max: number;
    if (char === '?') [min, max] = [0, 1];
    else if (char === '*') [min, max] = [0, Infinity];
    else if (char === '+') [min, max] = [1, Infinity];
    else if (char === '{') {
      at++;
      min = number();
      max = min;
      if (peek() === ',') {
        at++;
        max = peek() === '}' ? Infinity : number();
      }
      if (peek() !== '}' || max < min) fail();
    } else return item;
    at++;
    if (peek() === '?') fail(); // lazy: same language, but refuse rather than reason about it
    return { kind: 'repeat', item, min, max };
  }

  function sequence(): PatternNode {
    const items: PatternNode[] = [];
    while (at < pattern.length && peek() !== '|' && peek() !== ')') items.push(quantified(atom()));
    return { kind: 'sequence', items };
  }

  function choice(): PatternNode {
    const options = [sequence()];
    while (peek() === '|') {
      at++;
      options.push(sequence());
    }
    return options.length === 1 ? (options[0] as PatternNode) : { kind: 'choice', options };
  }

  const tree = choice();
  if (at !== pattern.length) fail();
  return tree;
}

/** Thompson construction: states with digit edges and empty edges. */
class Nfa {
  readonly edges: Array<Array<readonly [mask: number, to: number]>> = [];
  readonly empty: number[][] = [];
  readonly accepts = new Map<number, number>();

  state(): number {
    this.edges.push([]);
    this.empty.push([]);
    return this.edges.length - 1;
  }

  /** Adds a fragment for `node` between `from` and a new end state, returned. */
  build(node: PatternNode, from: number): number {
    switch (node.kind) {
      case 'digits': {
        const to = this.state();
        this.edges[from]?.push([node.mask, to]);
        return to;
      }
      case 'sequence':
        return node.items.reduce((at, item) => this.build(item, at), from);
      case 'choice': {
        const end = this.state();
        for (const option of node.options) this.empty[this.build(option, from)]?.push(end);
        return end;
      }
      case 'repeat': {
        let at = from;
        for (let i = 0; i < node.min; i++) at = this.build(node.item, at);
        if (node.max === Infinity) {
          const loop = this.state();
          this.empty[at]?.push(loop);
          this.empty[this.build(node.item, loop)]?.push(loop);
          return loop;
        }
        const end = this.state();
        this.empty[at]?.push(end);
        for (let i = node.min; i < node.max; i++) {
          at = this.build(node.item, at);
          this.empty[at]?.push(end);
        }
        return end;
      }
    }
  }

  closure(states: Iterable<number>): number[] {
    const seen = new Set<number>(states);
    const stack = [...seen];
    for (let state = stack.pop(); state !== undefined; state = stack.pop()) {
      for (const next of this.empty[state] ?? []) {
        if (!seen.has(next)) {
          seen.add(next);
          stack.push(next);
        }
      }
    }
    return [...seen].sort((a, b) => a - b);
  }
}

/**
 * Compiles patterns (pattern `i` reported as bit `i`, so at most 31) into one deterministic automaton.
 *
 * @returns `undefined` when a pattern is outside the subset or the automaton would be too large.
 * @example compileDigitAutomaton(['4\\d{8}', '[2378]\\d{8}'])?.fullMatches('412345678', 0) // 0b01
 */
export function compileDigitAutomaton(patterns: readonly string[]): DigitAutomaton | undefined {
  if (patterns.length > 31) return undefined;
  const nfa = new Nfa();
  const start = nfa.state();
  try {
    patterns.forEach((pattern, bit) => {
      const end = nfa.build(parse(pattern), start);
      nfa.accepts.set(end, (nfa.accepts.get(end) ?? 0) | (1 << bit));
    });
  } catch (error) {
    if (error instanceof UnsupportedPattern) return undefined;
    throw error;
  }

  // Subset construction; state 0 is the start, -1 the dead state.
  const ids = new Map<string, number>();
  const sets: number[][] = [];
  const transitions: number[] = [];
  const acceptMasks: number[] = [];
  const idOf = (set: number[]): number => {
    const key = set.join(',');
    let id = ids.get(key);
    if (id === undefined) {
      id = sets.length;
      ids.set(key, id);
      sets.push(set);
      acceptMasks.push(set.reduce((mask, state) => mask | (nfa.accepts.get(state) ?? 0), 0));
    }
    return id;
  };
  idOf(nfa.closure([start]));
  for (let id = 0; id < sets.length; id++) {
    if (sets.length > MAX_AUTOMATON_STATES) return undefined;
    for (let digit = 0; digit < 10; digit++) {
      const next: number[] = [];
      for (const state of sets[id] ?? []) {
        for (const [mask, to] of nfa.edges[state] ?? []) if (mask & (1 << digit)) next.push(to);
      }
      transitions[id * 10 + digit] = next.length === 0 ? -1 : idOf(nfa.closure(next));
    }
  }
  const table = Int32Array.from(transitions);
  const accept = Int32Array.from(acceptMasks);

  const next = (state: number, digit: number): number => (state < 0 ? DEAD_STATE : (table[state * 10 + digit] ?? DEAD_STATE));
  return {
    stateCount: sets.length,
    next,
    accepted: (state) => (state < 0 ? 0 : (accept[state] ?? 0)),
    stateAfter(text, from, end) {
      let state = 0;
      for (let i = from; i < end && state >= 0; i++) state = next(state, text.charCodeAt(i) - 48);
      return state;
    },
    fullMatches(text, from) {
      let state = 0;
      for (let i = from; i < text.length; i++) {
        state = table[state * 10 + text.charCodeAt(i) - 48] ?? -1;
        if (state < 0) return 0;
      }
      return accept[state] ?? 0;
    },
    matchesSomePrefix(text, from) {
      let state = 0;
      for (let i = from; ; i++) {
        if (accept[state]) return true;
        if (i >= text.length) return false;
        state = table[state * 10 + text.charCodeAt(i) - 48] ?? -1;
        if (state < 0) return false;
      }
    },
  };
}

/**
 * The longest text a digit pattern can match (`Infinity` when unbounded), or `undefined` outside the subset.
 *
 * A RegExp matching at the start of a text reads no further than this, so its answer for a text is
 * decided by that many leading digits (and the text's length, when shorter).
 *
 * @example longestDigitMatch('(183[12])|0') // 4
 */
export function longestDigitMatch(pattern: string): number | undefined {
  const longest = (node: PatternNode): number => {
    switch (node.kind) {
      case 'digits':
        return 1;
      case 'sequence':
        return node.items.reduce((sum, item) => sum + longest(item), 0);
      case 'choice':
        return Math.max(...node.options.map(longest));
      case 'repeat': {
        const item = longest(node.item);
        return item === 0 || node.max === 0 ? 0 : item * node.max;
      }
    }
  };
  try {
    return longest(parse(pattern));
  } catch (error) {
    if (error instanceof UnsupportedPattern) return undefined;
    throw error;
  }
}
