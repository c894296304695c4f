/**
 * Imports every tc kind module so each registers itself (see ../kind.ts).
 * @module
 */
import './cake.js';
