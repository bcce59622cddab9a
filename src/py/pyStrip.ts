// Python's str.isspace() set, which str.strip() removes; JavaScript's trim() differs (it strips
// U+FEFF and keeps U+001C..U+001F and U+0085). A loop, not a regex: /\s+$/ is quadratic on long runs.
function isPySpace(code: number): boolean {
  return (
    (code >= 0x09 && code <= 0x0d) ||
    (code >= 0x1c && code <= 0x20) ||
    code === 0x85 ||
    code === 0xa0 ||
    code === 0x1680 ||
    (code >= 0x2000 && code <= 0x200a) ||
    code === 0x2028 ||
    code === 0x2029 ||
    code === 0x202f ||
    code === 0x205f ||
    code === 0x3000
  );
}

/** Python's `s.strip()` ("both"), or `s.rstrip()` ("end"). */
export function pyStrip(s: string, side: "both" | "end" = "both"): string {
  let end = s.length;
  while (end > 0 && isPySpace(s.charCodeAt(end - 1))) end--;
  let start = 0;
  if (side === "both") while (start < end && isPySpace(s.charCodeAt(start))) start++;
  return s.slice(start, end);
}
