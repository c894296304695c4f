/**
 * User and group names from /etc/passwd and /etc/group, for getpwnam() /
 * getpwuid() / getgrnam() / getgrgid() (the files NSS source; no LDAP etc.).
 * @module
 */
import { readFileSync } from 'node:fs';

interface Entry { readonly name: string; readonly id: number }

const cache = new Map<string, readonly Entry[]>();

/** name:x:id:… lines of a database file (empty when unreadable). */
function entries(file: string): readonly Entry[] {
  let hit = cache.get(file);
  if (hit) return hit;
  const out: Entry[] = [];
  try {
    for (const line of readFileSync(file, 'utf8').split('\n')) {
      const f = line.split(':');
      if (f.length < 3 || !f[0] || f[0].startsWith('#') || !/^[0-9]+$/.test(f[2]!)) continue;
      out.push({ name: f[0], id: Number(f[2]) });
    }
  } catch { /* no such database */ }
  hit = out;
  cache.set(file, hit);
  return hit;
}

/** getpwnam(name)->pw_uid */
export function uidOf(name: string): number | undefined {
  return entries('/etc/passwd').find((e) => e.name === name)?.id;
}

/** getpwuid(uid)->pw_name */
export function userName(uid: number): string | undefined {
  return entries('/etc/passwd').find((e) => e.id === uid)?.name;
}

/** getgrnam(name)->gr_gid */
export function gidOf(name: string): number | undefined {
  return entries('/etc/group').find((e) => e.name === name)?.id;
}

/** getgrgid(gid)->gr_name */
export function groupName(gid: number): string | undefined {
  return entries('/etc/group').find((e) => e.id === gid)?.name;
}
