/**
 * Every classifier and action module rip has. Importing this file registers
 * them all (src/tc/filter-kind.ts and src/tc/action.ts registries). To add
 * one: create src/tc/filters/<kind>.ts (or src/tc/actions/<kind>.ts) and
 * append an import line below.
 * @module
 */
import '../actions/gact.js';
import '../actions/mirred.js';
import '../actions/police.js';
import '../actions/vlan.js';
import '../actions/skbedit.js';
import '../actions/tunnel_key.js';
import './u32.js';
import './bpf.js';
import './matchall.js';
import './basic.js';
import './fw.js';
import './flower.js';
