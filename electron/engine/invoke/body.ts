import { FuncdeckError } from '../../../shared/contract';
import { INVOKE_MAX_REQUEST_BYTES, type BodyKind, type InvokeBody, type ResponseBody } from '../../../shared/contract/invoke';

/** The bytes to send for a request body, and the content-type to use when the user set none. */
export function encodeRequestBody(body: InvokeBody | null): { bytes: Buffer | undefined; contentType: string | undefined } {
  if (!body) return { bytes: undefined, contentType: undefined };
  let bytes: Buffer;
  let contentType: string;
  switch (body.kind) {
    case 'text':
      bytes = Buffer.from(body.content, 'utf8');
      contentType = 'text/plain; charset=utf-8';
      break;
    case 'json':
      try {
        JSON.parse(body.content);
      } catch (e) {
        throw new FuncdeckError('BAD_REQUEST', `The JSON body does not parse: ${(e as Error).message}. Fix it, or send it as text.`);
      }
      bytes = Buffer.from(body.content, 'utf8');
      contentType = 'application/json';
      break;
    case 'base64':
      if (!/^[A-Za-z0-9+/\s]*={0,2}\s*$/.test(body.content)) {
        throw new FuncdeckError('BAD_REQUEST', 'The binary body is not valid base64. Choose the file again.');
      }
      bytes = Buffer.from(body.content, 'base64');
      contentType = 'application/octet-stream';
      break;
  }
  if (bytes.length > INVOKE_MAX_REQUEST_BYTES) {
    throw new FuncdeckError('BAD_REQUEST', `The body is ${bytes.length} bytes; at most ${INVOKE_MAX_REQUEST_BYTES} can be sent from the invoke panel.`);
  }
  return { bytes, contentType };
}

const TEXTUAL = /^(text\/|application\/(json|[\w.+-]*\+json|xml|[\w.+-]*\+xml|javascript|ecmascript|x-www-form-urlencoded|yaml|x-yaml|x-ndjson|problem\+json)\b)/i;
const JSONISH = /^application\/(json|[\w.+-]*\+json)\b/i;

/** Whether an answer of this content-type is shown as text (untyped answers are, when they decode). */
export function isTextual(contentType: string | undefined): boolean {
  const ct = (contentType ?? '').trim();
  return ct ? TEXTUAL.test(ct) : true;
}

const strictUtf8 = new TextDecoder('utf-8', { fatal: true });

function isUtf8(bytes: Uint8Array): boolean {
  try {
    strictUtf8.decode(bytes);
    return true;
  } catch {
    return false;
  }
}

/** The longest prefix of `bytes` (at most `limit`) that does not end inside a UTF-8 character. */
export function utf8Prefix(bytes: Buffer, limit: number): Buffer {
  if (bytes.length <= limit) return bytes;
  let end = limit;
  // Step back over continuation bytes (10xxxxxx) to the start of the last character, and drop it
  // when it does not fit completely.
  let i = end - 1;
  while (i >= 0 && i > end - 4 && (bytes[i]! & 0xc0) === 0x80) i--;
  if (i >= 0) {
    const lead = bytes[i]!;
    const len = lead < 0x80 ? 1 : lead >= 0xf0 ? 4 : lead >= 0xe0 ? 3 : lead >= 0xc0 ? 2 : 1;
    if (i + len > end) end = i;
  }
  return bytes.subarray(0, end);
}

/**
 * How a response body crosses the contract: JSON when the content-type says so and it parses,
 * text when it is textual (or untyped but valid UTF-8), base64 otherwise. Bodies over `limit`
 * bytes are cut to `limit` for display; `sizeBytes` is always the full size.
 */
export function decodeResponseBody(head: Buffer, sizeBytes: number, contentType: string | undefined, limit: number): ResponseBody {
  const truncated = sizeBytes > head.length || head.length > limit;
  const shown = head.length > limit ? head.subarray(0, limit) : head;
  const ct = (contentType ?? '').trim();
  let kind: BodyKind;
  if (ct && JSONISH.test(ct) && !truncated && isUtf8(shown)) {
    const text = shown.toString('utf8');
    try {
      JSON.parse(text);
      return { kind: 'json', content: text, truncated, sizeBytes };
    } catch {
      kind = 'text';
    }
  } else if (ct ? TEXTUAL.test(ct) : true) {
    const prefix = truncated ? utf8Prefix(head, limit) : shown;
    kind = isUtf8(prefix) ? 'text' : 'base64';
    if (kind === 'text') return { kind, content: prefix.toString('utf8'), truncated, sizeBytes };
  } else {
    kind = 'base64';
  }
  if (kind === 'text') return { kind, content: shown.toString('utf8'), truncated, sizeBytes };
  return { kind: 'base64', content: shown.toString('base64'), truncated, sizeBytes };
}
