#!/usr/bin/env node
// Entry point for rip, rip-ip, rip-tc, rip-ss, and symlinks named ip/tc/ss.
import '../dist/src/cli/rip.js';
