/**
 * Reading /sys/class/net/DEV/PROP of a network namespace, as iproute2's
 * read_prop() does after `ip -n NS` remounted /sys. sysfs shows the devices of
 * the namespace it was mounted in, so for another namespace the addon makes a
 * detached sysfs mount there and we read through its fd.
 * @module
 */
import { readFileSync } from 'node:fs';
import { native } from '../netlink/native.js';
import { netnsTarget, type NetnsRef } from '../netlink/socket.js';
import { sys } from './errors.js';

/** /sys/class/net of one namespace. Close it when done (it holds a mount). */
export class NetSysfs implements Disposable {
  private constructor(private readonly root: string, private readonly fd: number | undefined) {}

  /** The caller's /sys, or a fresh sysfs of `netns`. */
  static open(netns?: NetnsRef): NetSysfs {
    if (netns === undefined) return new NetSysfs('/sys', undefined);
    const fd = sys('sysfs', () => native.sysfsInNetns(netnsTarget(netns)));
    return new NetSysfs(`/proc/self/fd/${fd}`, fd);
  }

  /** Path of a device attribute, for messages (as the namespace itself sees it). */
  static displayPath(dev: string, prop: string): string {
    return `/sys/class/net/${dev}/${prop}`;
  }

  /** The first line of a device attribute, without its newline; throws the fs error (ENOENT…). */
  readLine(dev: string, prop: string): string {
    const text = readFileSync(`${this.root}/class/net/${dev}/${prop}`, 'latin1');
    const nl = text.indexOf('\n');
    return nl < 0 ? text : text.slice(0, nl);
  }

  /**
   * A numeric attribute as read_prop() parses it (strtol base 0, whole line),
   * or undefined when it is not a number.
   */
  readNumber(dev: string, prop: string): number | undefined {
    return parseCLong(this.readLine(dev, prop));
  }

  close(): void {
    if (this.fd !== undefined) native.close(this.fd);
  }

  [Symbol.dispose](): void {
    this.close();
  }
}

/** strtol(s, &end, 0) that must consume all of `s` (leading blanks allowed). */
export function parseCLong(s: string): number | undefined {
  const m = /^[ \t\n\v\f\r]*([+-]?)(0[xX][0-9a-fA-F]+|0[0-7]*|[1-9][0-9]*)$/.exec(s);
  if (!m) return undefined;
  const digits = m[2]!;
  const v = /^0[xX]/.test(digits) ? parseInt(digits.slice(2), 16) : digits.length > 1 && digits[0] === '0' ? parseInt(digits, 8) : Number(digits);
  return m[1] === '-' ? -v : v;
}
