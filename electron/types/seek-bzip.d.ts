declare module 'seek-bzip' {
  /** Decodes a whole bzip2 stream into a new Buffer, or byte by byte into `output` (the package ships no types). */
  const Bunzip: { decode(input: Uint8Array | Buffer, output?: Buffer | { writeByte(byte: number): void }): Buffer | undefined };
  export default Bunzip;
}
