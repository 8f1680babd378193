'use strict';
// Carries the handler's stdout/stderr from its worker thread to the main thread through a byte ring
// in a SharedArrayBuffer (one writer, one reader). A write is a copy into shared memory: no message
// or system call per line, and whatever was written can be read by the main thread even if the
// worker then blocks forever or is terminated, so no line printed before a `while (true) {}` is lost.
//
// Layout: Int32 header [head, tail, pending] (running byte counts, wrapping at 2^32), then the data.
// A record is [fd: 1 byte][length: 4 bytes][bytes]. A 0 byte where a record would start means the
// rest of the ring up to its end is unused (a record never wraps around).
const HEAD = 0;
const TAIL = 1;
const PENDING = 2; // 1 while the reader has been told there is something to read
const HEADER_BYTES = 16;
const SKIP = 0;

function createRing(capacity = 1 << 20) {
  return new SharedArrayBuffer(HEADER_BYTES + capacity);
}

/** The worker's side: `write(fd, bytes)`; `wake()` tells the main thread to read (sent once per batch). */
function ringWriter(sab, wake) {
  const hdr = new Int32Array(sab, 0, 4);
  const data = new Uint8Array(sab, HEADER_BYTES);
  const cap = data.length;
  const maxRecord = (cap >>> 2) - 5;
  const signal = () => {
    if (Atomics.compareExchange(hdr, PENDING, 0, 1) === 0) wake();
  };
  /** Waits (this thread only: it is the handler's) until the main thread has made `n` bytes free. */
  const reserve = (n) => {
    for (;;) {
      const tail = Atomics.load(hdr, TAIL);
      if (cap - ((Atomics.load(hdr, HEAD) - tail) >>> 0) >= n) return;
      signal();
      Atomics.wait(hdr, TAIL, tail, 100);
    }
  };
  const put = (fd, bytes) => {
    const n = 5 + bytes.length;
    let head = Atomics.load(hdr, HEAD);
    let at = (head >>> 0) % cap;
    const room = cap - at;
    if (room < n) {
      reserve(room + n);
      data[at] = SKIP;
      head = (head + room) | 0;
      at = 0;
    } else reserve(n);
    data[at] = fd;
    data[at + 1] = bytes.length >>> 24;
    data[at + 2] = (bytes.length >>> 16) & 255;
    data[at + 3] = (bytes.length >>> 8) & 255;
    data[at + 4] = bytes.length & 255;
    data.set(bytes, at + 5);
    Atomics.store(hdr, HEAD, (head + n) | 0);
  };
  return (fd, bytes) => {
    for (let i = 0; i < bytes.length; i += maxRecord) put(fd, bytes.subarray(i, i + maxRecord));
    signal();
  };
}

/** The main thread's side: `drain(out)` passes everything written so far to `out(fd, Buffer)`, runs of one fd joined. */
function ringReader(sab) {
  const hdr = new Int32Array(sab, 0, 4);
  const data = new Uint8Array(sab, HEADER_BYTES);
  const cap = data.length;
  return (out) => {
    Atomics.store(hdr, PENDING, 0); // before reading head: a write after this point sends a new wake
    const head = Atomics.load(hdr, HEAD);
    let tail = Atomics.load(hdr, TAIL);
    let fd = 0;
    let parts = [];
    while (tail !== head) {
      const at = (tail >>> 0) % cap;
      if (data[at] === SKIP) {
        tail = (tail + (cap - at)) | 0;
        continue;
      }
      const len = ((data[at + 1] << 24) | (data[at + 2] << 16) | (data[at + 3] << 8) | data[at + 4]) >>> 0;
      if (data[at] !== fd && parts.length) {
        out(fd, Buffer.concat(parts));
        parts = [];
      }
      fd = data[at];
      parts.push(Buffer.from(data.subarray(at + 5, at + 5 + len))); // a copy: the writer reuses the space
      tail = (tail + 5 + len) | 0;
    }
    Atomics.store(hdr, TAIL, tail);
    Atomics.notify(hdr, TAIL);
    if (parts.length) out(fd, Buffer.concat(parts));
  };
}

module.exports = { createRing, ringWriter, ringReader };
