declare module 'seek-bzip' {
  /** Decodes a whole bzip2 stream (the package ships no types). */
  const Bunzip: { decode(input: Uint8Array | Buffer, output?: Buffer): Buffer };
  export default Bunzip;
}
