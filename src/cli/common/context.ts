/**
 * What every command handler gets: global options, the printer, and a lazily
 * opened netlink handle for the selected namespace.
 * @module
 */
// Loaded on first use: commands that never talk rtnetlink (or use their own socket) skip its module graph.
import type { Netlink } from '../../netlink/netlink.js';
import { Printer, FdSink, type Sink } from '../../output/printer.js';
import { paletteFor } from '../../output/color.js';

/** Global options shared by ip/tc (iproute2 names). */
export interface GlobalOptions {
  family: number; // AF_UNSPEC / AF_INET / AF_INET6 / AF_PACKET / AF_MPLS / AF_BRIDGE
  stats: number;
  details: number;
  json: boolean;
  pretty: boolean;
  brief: boolean;
  oneline: boolean;
  resolve: boolean;
  numeric: number;
  timestamp: number;
  /** Colour text output: the outcome of check_enable_color() for -c/-color (never with -j). */
  color: boolean;
  force: boolean;
  all: boolean;
  echo: boolean;
  iec: boolean;
  raw: boolean;
  netns: string | undefined;
  batchFile: string | undefined;
}

export function defaultGlobals(): GlobalOptions {
  return {
    family: 0, stats: 0, details: 0, json: false, pretty: false, brief: false, oneline: false,
    resolve: false, numeric: 0, timestamp: 0, color: false, force: false, all: false, echo: false,
    iec: false, raw: false, netns: undefined, batchFile: undefined,
  };
}

/** Per-invocation context. */
export class CliContext {
  readonly printer: Printer;
  private nl: Netlink | undefined;

  constructor(readonly opts: GlobalOptions, readonly sink: Sink = new FdSink(1)) {
    this.printer = new Printer(sink, {
      json: opts.json, pretty: opts.pretty, lineSep: opts.oneline ? '\\' : '\n',
      palette: opts.color ? paletteFor(process.env.COLORFGBG) : undefined,
    });
  }

  /** The rtnetlink handle for the selected namespace (opened on first use). */
  async netlink(): Promise<Netlink> {
    if (!this.nl) {
      const { Netlink } = await import('../../netlink/netlink.js');
      this.nl = await Netlink.open(this.opts.netns !== undefined ? { netns: this.opts.netns } : {});
    }
    return this.nl;
  }

  /** Write to stderr (unbuffered, like stderr in C). */
  warn(line: string): void {
    this.sink.flush();
    process.stderr.write(line.endsWith('\n') ? line : line + '\n');
  }

  close(): void {
    this.printer.flush();
    this.nl?.close();
    this.nl = undefined;
  }
}
