/**
 * A reader for the IDX format used by the MNIST files (http://yann.lecun.com/exdb/mnist/).
 *
 * Pure: works on bytes, so it runs in Node and in the browser. Every problem is reported as an
 * {@link IdxError} that names the file and says what was expected, so that a damaged download
 * stops the pipeline with a readable message instead of a crash deep inside training.
 */

/** A file that is missing, truncated or not the IDX file it should be. */
export class IdxError extends Error {
  readonly file: string;
  constructor(file: string, message: string) {
    super(`${file}: ${message}`);
    this.name = 'IdxError';
    this.file = file;
  }
}

/** What a caller expects of an IDX file; anything given is checked. */
export interface IdxExpectation {
  /** Number of dimensions (1 for labels, 3 for images). */
  rank?: number;
  /** Expected size of each dimension; `undefined` entries are not checked. */
  dims?: readonly (number | undefined)[];
}

/** A parsed IDX file whose element type is unsigned byte (the only type MNIST uses). */
export interface IdxArray {
  dims: number[];
  /** The payload, a view into the input bytes (no copy). */
  data: Uint8Array;
}

const UBYTE = 0x08;
const TYPE_NAMES: Record<number, string> = {
  0x08: 'unsigned byte',
  0x09: 'signed byte',
  0x0b: 'short',
  0x0c: 'int',
  0x0d: 'float',
  0x0e: 'double',
};

/**
 * Parses an unsigned-byte IDX file. `file` is only used in error messages.
 *
 * Checks: the two leading zero bytes of the magic number, the element type (unsigned byte), the
 * rank and each dimension against `expect`, and that the file is exactly header + payload long
 * (a shorter file is reported as truncated, a longer one as having trailing bytes).
 */
export function parseIdx(bytes: Uint8Array, file: string, expect: IdxExpectation = {}): IdxArray {
  if (bytes.length < 4) {
    throw new IdxError(file, `truncated: ${bytes.length} bytes, too short for an IDX header (expected at least 4 bytes of magic number).`);
  }
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const magic = view.getUint32(0, false);
  const type = bytes[2]!;
  const rank = bytes[3]!;
  const expectedMagic = expect.rank === undefined ? undefined : (UBYTE << 8) | expect.rank;
  const hex = (n: number) => `0x${n.toString(16).padStart(8, '0')}`;
  if (bytes[0] !== 0 || bytes[1] !== 0) {
    throw new IdxError(
      file,
      `not an IDX file: magic number ${hex(magic)}, expected ${expectedMagic === undefined ? '0x000008nn' : hex(expectedMagic)} (the file may be compressed, corrupt or of another format).`,
    );
  }
  if (type !== UBYTE) {
    throw new IdxError(file, `element type ${TYPE_NAMES[type] ?? `0x${type.toString(16)}`} (magic ${hex(magic)}), expected unsigned byte (0x08).`);
  }
  if (expect.rank !== undefined && rank !== expect.rank) {
    throw new IdxError(file, `magic number ${hex(magic)} says ${rank} dimension(s), expected ${expect.rank} (magic ${hex(expectedMagic!)}).`);
  }
  const headerBytes = 4 + 4 * rank;
  if (bytes.length < headerBytes) {
    throw new IdxError(file, `truncated: ${bytes.length} bytes, but a ${rank}-dimensional IDX header needs ${headerBytes}.`);
  }
  const dims: number[] = [];
  for (let i = 0; i < rank; i++) dims.push(view.getUint32(4 + 4 * i, false));
  if (expect.dims) {
    expect.dims.forEach((want, i) => {
      if (want !== undefined && dims[i] !== want) {
        throw new IdxError(file, `dimension ${i} is ${dims[i]}, expected ${want} (header dims [${dims.join(', ')}]).`);
      }
    });
  }
  const payload = dims.reduce((a, b) => a * b, 1);
  const expectedBytes = headerBytes + payload;
  if (bytes.length < expectedBytes) {
    throw new IdxError(file, `truncated: ${bytes.length} bytes, expected ${expectedBytes} (${headerBytes}-byte header + ${dims.join(' × ')} values).`);
  }
  if (bytes.length > expectedBytes) {
    throw new IdxError(file, `${bytes.length} bytes, expected exactly ${expectedBytes} (${headerBytes}-byte header + ${dims.join(' × ')} values): trailing data, the file is corrupt.`);
  }
  return { dims, data: bytes.subarray(headerBytes, expectedBytes) };
}

/** Serialises an unsigned-byte IDX file (used by tests to make good and corrupt files). */
export function encodeIdx(dims: readonly number[], data: Uint8Array): Uint8Array {
  const header = 4 + 4 * dims.length;
  const out = new Uint8Array(header + data.length);
  const view = new DataView(out.buffer);
  view.setUint32(0, (UBYTE << 8) | dims.length, false);
  dims.forEach((d, i) => view.setUint32(4 + 4 * i, d, false));
  out.set(data, header);
  return out;
}
