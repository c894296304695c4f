/**
 * Splitting a -batch line into argv as iproute2's makeargs() does: blanks
 * separate, single or double quotes group, `#` starts a comment.
 * @module
 */
export function splitBatchLine(line: string): string[] {
  // Fast path for the common line of plain words separated by spaces (bulk
  // batches): one scan, tokens sliced out, no regular expression.
  const out: string[] = [];
  let from = -1;
  let i = 0;
  for (; i < line.length; i++) {
    const c = line.charCodeAt(i);
    if (c === 32) {
      if (from >= 0) { out.push(line.slice(from, i)); from = -1; }
    } else if (c === 34 || c === 39 || c === 35 || c === 9 || c === 10 || c === 13) {
      break; // quotes, a comment or other blanks: the general splitter below
    } else if (from < 0) {
      from = i;
    }
  }
  if (i === line.length) {
    if (from >= 0) out.push(line.slice(from));
    return out;
  }
  return splitGeneral(line);
}

/** makeargs() for any line. */
function splitGeneral(line: string): string[] {
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
