/**
 * Splitting a -batch line into argv as iproute2's makeargs() does: blanks
 * separate, single or double quotes group, `#` starts a comment.
 * @module
 */
export function splitBatchLine(line: string): string[] {
  // Fast path for the common line without quotes, comments or other blanks (bulk batches).
  if (!/["'#\t\r\n]/.test(line)) {
    const out: string[] = [];
    for (const t of line.split(' ')) if (t) out.push(t);
    return out;
  }
  const out: string[] = [];
  let cur = '';
  let inTok = false;
  let quote = '';
  for (let i = 0; i < line.length; i++) {
    const c = line[i]!;
    if (quote) {
      if (c === quote) { quote = ''; continue; }
      cur += c;
      continue;
    }
    if (c === '#' && !inTok) break;
    if (c === '"' || c === "'") { quote = c; inTok = true; continue; }
    if (c === ' ' || c === '\t' || c === '\n' || c === '\r') {
      if (inTok) { out.push(cur); cur = ''; inTok = false; }
      continue;
    }
    cur += c;
    inTok = true;
  }
  if (inTok) out.push(cur);
  return out;
}
