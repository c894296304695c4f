/**
 * Imports every tc kind module so each registers itself (see ../kind.ts).
 * @module
 */
import './cake.js';
import './codel.js';
import './fq_codel.js';
import './fq.js';
