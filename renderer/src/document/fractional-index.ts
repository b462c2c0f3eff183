/**
 * Fractional indexing for z-order keys: strings that sort lexicographically (plain `<`, never
 * localeCompare) and always leave room for a key between any two. Same scheme as
 * rocicorp/fractional-indexing: a variable-length integer part (head letter a–z / A–Z encodes its
 * length) followed by a base-62 fraction without trailing zeros. Appending at either end grows keys
 * logarithmically, so thousands of "bring to front" stay far below the document's 64-char limit.
 */
const DIGITS = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';
const ZERO = DIGITS[0]!;
const LAST = DIGITS[DIGITS.length - 1]!;
/** The smallest integer part ("A" + 26 zeros) cannot be decremented. */
const SMALLEST_INTEGER = 'A' + ZERO.repeat(26);

/** Compare two z keys the way records are ordered (code-unit order). */
export function compareKeys(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** A key strictly between a and b (null = open end). Throws if a >= b or a key is malformed. */
export function keyBetween(a: string | null, b: string | null): string {
  if (a !== null) assertKey(a);
  if (b !== null) assertKey(b);
  if (a !== null && b !== null && a >= b) throw new Error(`keyBetween: "${a}" is not below "${b}"`);

  if (a === null) {
    if (b === null) return 'a' + ZERO;
    const ib = integerPart(b);
    const fb = b.slice(ib.length);
    if (ib === SMALLEST_INTEGER) return ib + midpoint('', fb);
    if (ib < b) return ib;
    const dec = decrementInteger(ib);
    if (dec === null) throw new Error('keyBetween: cannot go below the smallest key');
    return dec;
  }
  if (b === null) {
    const ia = integerPart(a);
    const inc = incrementInteger(ia);
    return inc === null ? ia + midpoint(a.slice(ia.length), null) : inc;
  }
  const ia = integerPart(a);
  const ib = integerPart(b);
  if (ia === ib) return ia + midpoint(a.slice(ia.length), b.slice(ib.length));
  const inc = incrementInteger(ia);
  if (inc === null) throw new Error('keyBetween: cannot go above the largest key');
  if (inc < b) return inc;
  return ia + midpoint(a.slice(ia.length), null);
}

/** n keys in ascending order between a and b, spread evenly (for inserting several records). */
export function keysBetween(a: string | null, b: string | null, n: number): string[] {
  if (n <= 0) return [];
  if (n === 1) return [keyBetween(a, b)];
  if (b === null) {
    const out: string[] = [];
    let prev = a;
    for (let i = 0; i < n; i++) out.push((prev = keyBetween(prev, null)));
    return out;
  }
  if (a === null) {
    const out: string[] = [];
    let next = b;
    for (let i = 0; i < n; i++) out.push((next = keyBetween(null, next)));
    return out.reverse();
  }
  const mid = Math.floor(n / 2);
  const c = keyBetween(a, b);
  return [...keysBetween(a, c, mid), c, ...keysBetween(c, b, n - mid - 1)];
}

export function isValidKey(key: string): boolean {
  try {
    assertKey(key);
    return true;
  } catch {
    return false;
  }
}

function assertKey(key: string): void {
  if (key === SMALLEST_INTEGER) throw new Error(`invalid z key "${key}"`);
  const i = integerPart(key);
  const f = key.slice(i.length);
  if (f.endsWith(ZERO)) throw new Error(`invalid z key "${key}" (trailing zero)`);
  for (const ch of key.slice(1)) if (!DIGITS.includes(ch)) throw new Error(`invalid z key "${key}"`);
}

function integerLength(head: string): number {
  if (head >= 'a' && head <= 'z') return head.charCodeAt(0) - 97 + 2;
  if (head >= 'A' && head <= 'Z') return 90 - head.charCodeAt(0) + 2;
  throw new Error(`invalid z key head "${head}"`);
}

function integerPart(key: string): string {
  const len = integerLength(key[0] ?? '');
  if (len > key.length) throw new Error(`invalid z key "${key}"`);
  return key.slice(0, len);
}

/** Midpoint of two fractions (digit strings in [0, 1)); b null = 1. */
function midpoint(a: string, b: string | null): string {
  if (b !== null && a >= b) throw new Error(`midpoint: "${a}" >= "${b}"`);
  if (a.endsWith(ZERO) || (b !== null && b.endsWith(ZERO))) throw new Error('midpoint: trailing zero');
  if (b !== null) {
    // Shared prefix (a padded with zeros): keep it and recurse on the rest.
    let n = 0;
    while ((a[n] ?? ZERO) === b[n]) n++;
    if (n > 0) return b.slice(0, n) + midpoint(a.slice(n), b.slice(n));
  }
  const da = a ? DIGITS.indexOf(a[0]!) : 0;
  const db = b !== null ? DIGITS.indexOf(b[0]!) : DIGITS.length;
  if (db - da > 1) return DIGITS[Math.round((da + db) / 2)]!;
  // Adjacent digits: b's first digit alone is above a (if b has more digits), else extend a.
  if (b !== null && b.length > 1) return b.slice(0, 1);
  return DIGITS[da]! + midpoint(a.slice(1), null);
}

function incrementInteger(x: string): string | null {
  const head = x[0]!;
  const digs = x.slice(1).split('');
  let carry = true;
  for (let i = digs.length - 1; carry && i >= 0; i--) {
    const d = DIGITS.indexOf(digs[i]!) + 1;
    if (d === DIGITS.length) digs[i] = ZERO;
    else {
      digs[i] = DIGITS[d]!;
      carry = false;
    }
  }
  if (!carry) return head + digs.join('');
  if (head === 'Z') return 'a' + ZERO;
  if (head === 'z') return null;
  const h = String.fromCharCode(head.charCodeAt(0) + 1);
  if (h > 'a') digs.push(ZERO);
  else digs.pop();
  return h + digs.join('');
}

function decrementInteger(x: string): string | null {
  const head = x[0]!;
  const digs = x.slice(1).split('');
  let borrow = true;
  for (let i = digs.length - 1; borrow && i >= 0; i--) {
    const d = DIGITS.indexOf(digs[i]!) - 1;
    if (d === -1) digs[i] = LAST;
    else {
      digs[i] = DIGITS[d]!;
      borrow = false;
    }
  }
  if (!borrow) return head + digs.join('');
  if (head === 'a') return 'Z' + LAST;
  if (head === 'A') return null;
  const h = String.fromCharCode(head.charCodeAt(0) - 1);
  if (h < 'Z') digs.push(LAST);
  else digs.pop();
  return h + digs.join('');
}
