// SPDX-License-Identifier: MIT
// mulberry32: small, seedable, the same on every machine.  Shared by the
// differential test and the logic benchmark, so both draw from one generator.
export function seeded(seed) {
  let s = seed >>> 0;
  return function rand() {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
