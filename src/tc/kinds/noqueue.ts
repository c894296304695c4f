/**
 * noqueue: the kernel's "no queue" qdisc (virtual devices' default). tc has
 * no module for it, so it behaves as any kind tc does not know: options are
 * refused ("hence option … is unparsable") and a non-empty TCA_OPTIONS prints
 * as "[Unknown qdisc, optlen=N] ".
 * @module
 */
import { bytes } from '../../netlink/codec/schema.js';
import { registerQdiscKind } from '../kind.js';
import { unknownKind } from './unknown.js';

registerQdiscKind<Buffer>({ ...unknownKind('noqueue'), options: bytes });
