// Billing cursors are Redis Stream ids, "<ms>-<seq>": ordered by both parts as integers.
// True when `a` comes after `b`; the empty cursor (the start of the log) comes before every event.
export function cursorAfter(a, b) {
  if (!b) return Boolean(a);
  const [am, as] = a.split("-").map(BigInt);
  const [bm, bs] = b.split("-").map(BigInt);
  return am > bm || (am === bm && as > bs);
}
