/**
 * Handlers for contract.test.ts (and the dev-cluster contract test): one per runtime, dispatching on
 * the request path, each route exercising one line of the README's "Handler contract".
 * FD_ACK_DIR: a folder where the test drops a file to say it has received a streamed chunk.
 */
export const NODE_CONTRACT_HANDLER = `
const fs = require('fs');
const path = require('path');
let calls = 0;
const waiting = new Map();

function kind(d) {
  return Buffer.isBuffer(d) ? 'bytes' : d === null ? 'null' : typeof d;
}
function shown(d) {
  return Buffer.isBuffer(d) ? d.toString('base64') : d;
}
function until(test, ms) {
  return new Promise((resolve, reject) => {
    const started = Date.now();
    const tick = () => (test() ? resolve() : Date.now() - started > ms ? reject(new Error('no ack')) : setTimeout(tick, 10));
    tick();
  });
}
const ackFile = (name) => path.join(process.env.FD_ACK_DIR || '/tmp', 'ack-' + name);

exports.main = async (event, context) => {
  const req = event.extensions.request;
  const res = event.extensions.response;
  calls++;
  switch (req.path) {
    case '/event':
      return {
        kind: kind(event.data), data: shown(event.data),
        id: event['event-id'], type: event['event-type'], time: event['event-time'], ns: event['event-namespace'],
        ce: event.extensions.cloudevent || null,
        req: { method: req.method, url: req.url, path: req.path, query: req.query, header: req.get('X-Test') || null, header2: req.header('x-test') || null, isJson: req.is('json'), bodyBytes: req.body.length },
        ctx: { fn: context['function-name'], timeout: context.timeout, timeoutType: typeof context.timeout, runtime: context.runtime, memory: context['memory-limit'], revision: context.revision, keys: Object.keys(context) },
      };
    case '/string': return 'plain text';
    case '/bytes': return Buffer.from([0, 1, 2, 255]);
    case '/nothing': return undefined;
    case '/list': return [1, 'two'];
    case '/status-field': return { statusCode: 201, headers: { 'x-not': 'a header' }, body: 'not an envelope' };
    case '/envelope': return context.response({ statusCode: 201, headers: { 'x-custom': 'yes' }, body: { created: true } });
    case '/envelope-text': return context.response({ statusCode: 202, body: 'accepted' });
    case '/envelope-bad': return context.response({ statusCode: 'ok' });
    case '/throw': throw new Error('boom in handler');
    case '/throw-418': throw Object.assign(new Error('short and stout'), { statusCode: 418 });
    case '/hang': return new Promise(() => {});
    case '/state': return { calls };
    case '/barrier': {
      // Answers only once a second call is in the handler at the same time.
      const name = (who) => ackFile('barrier-' + req.query.t + '-' + who);
      fs.writeFileSync(name(req.query.who), '');
      await until(() => fs.existsSync(name(req.query.who === 'a' ? 'b' : 'a')), 2500);
      return 'met';
    }
    case '/res-status': res.status(201).set('x-set', 'on res'); return { kept: true };
    case '/res-json': res.status(202).json({ via: 'json' }); return 'ignored';
    case '/res-send': res.set({ 'x-a': '1' }).type('text').send('sent'); return;
    case '/res-send-status': res.sendStatus(204); return;
    case '/res-helpers': {
      res.append('x-list', 'a').append('x-list', 'b').header('x-gone', '1');
      res.removeHeader('x-gone');
      res.set('x-read', String(res.getHeader('x-list')));
      return res.redirect(307, '/elsewhere');
    }
    case '/res-write-head': res.writeHead(206, { 'content-type': 'text/plain' }); res.write('a'); res.end('b'); return;
    case '/res-stream': {
      res.setHeader('content-type', 'text/plain; charset=utf-8');
      res.write('first\\n');
      await until(() => fs.existsSync(ackFile(req.query.ack)), 5000);
      res.write(Buffer.from('second\\n'));
      res.end('third\\n');
      return;
    }
    case '/res-stream-return': res.write('streamed '); return 'and returned';
    case '/res-stream-throw': res.write('partial'); await new Promise((r) => setTimeout(r, 20)); throw new Error('after streaming');
    case '/res-stream-hang': res.write('partial'); return new Promise(() => {});
    case '/res-close': {
      const closed = new Promise((r) => res.on('close', r));
      res.write('waiting');
      await closed;
      fs.writeFileSync(ackFile('closed-' + req.query.ack), '');
      return;
    }
    case '/pipe': {
      const { Readable } = require('stream');
      Readable.from(['a', 'b', 'c']).pipe(res);
      await new Promise((r) => res.on('finish', r));
      return;
    }
    case '/log': console.log('a line'); console.error('an error line'); return 'logged';
    case '/ack': fs.writeFileSync(ackFile(req.query.name), ''); return 'acked';
    default: return context.response({ statusCode: 404, body: 'no route ' + req.path });
  }
};
`;

export const PY_CONTRACT_HANDLER = `
import base64, json, os, time

calls = 0


def kind(d):
    return 'bytes' if isinstance(d, (bytes, bytearray)) else 'null' if d is None else 'string' if isinstance(d, str) else 'object'


def ack_file(name):
    return os.path.join(os.environ.get('FD_ACK_DIR', '/tmp'), 'ack-' + name)


def until(test, s):
    started = time.time()
    while not test():
        if time.time() - started > s:
            raise RuntimeError('no ack')
        time.sleep(0.01)


class Teapot(Exception):
    statusCode = 418


def main(event, context):
    global calls
    calls += 1
    req = event['extensions']['request']
    p = req['path']
    if p == '/event':
        d = event['data']
        return {
            'kind': kind(d), 'data': base64.b64encode(d).decode() if kind(d) == 'bytes' else d,
            'id': event['event-id'], 'type': event['event-type'], 'time': event['event-time'], 'ns': event['event-namespace'],
            'ce': event['extensions'].get('cloudevent'),
            'req': {'method': req.method, 'url': req.url, 'path': req.path, 'query': req.query, 'header': req.headers.get('X-Test'),
                    'getHeader': req.get_header('x-test'), 'json': req.json, 'bodyBytes': len(req.body.read())},
            'ctx': {'fn': context['function-name'], 'timeout': context['timeout'], 'timeoutType': type(context['timeout']).__name__,
                    'runtime': context['runtime'], 'memory': context['memory-limit'], 'revision': context['revision'], 'keys': list(context.keys())},
        }
    if p == '/string':
        return 'plain text'
    if p == '/bytes':
        return bytes([0, 1, 2, 255])
    if p == '/nothing':
        return None
    if p == '/list':
        return [1, 'two']
    if p == '/status-field':
        return {'statusCode': 201, 'headers': {'x-not': 'a header'}, 'body': 'not an envelope'}
    if p == '/envelope':
        return context.response({'statusCode': 201, 'headers': {'x-custom': 'yes'}, 'body': {'created': True}})
    if p == '/envelope-text':
        return context.response(statusCode=202, body='accepted')
    if p == '/envelope-bad':
        return context.response({'statusCode': 'ok'})
    if p == '/throw':
        raise RuntimeError('boom in handler')
    if p == '/throw-418':
        raise Teapot('short and stout')
    if p == '/hang':
        time.sleep(3600)
    if p == '/state':
        return {'calls': calls}
    if p == '/barrier':
        who, t = req.query['who'], req.query['t']
        open(ack_file('barrier-%s-%s' % (t, who)), 'w').close()
        until(lambda: os.path.exists(ack_file('barrier-%s-%s' % (t, 'b' if who == 'a' else 'a'))), 2.5)
        return 'met'
    if p == '/gen-stream':
        def gen():
            yield 'first\\n'
            until(lambda: os.path.exists(ack_file(req.query['ack'])), 5)
            yield b'second\\n'
            yield 'third\\n'
        return gen()
    if p == '/gen-json':
        return (dict(n=i) for i in range(3))
    if p == '/gen-async':
        async def agen():
            for w in ('x', 'y'):
                yield w
        return agen()
    if p == '/gen-envelope':
        return context.response(statusCode=206, headers={'content-type': 'text/csv'}, body=(line for line in ('a,b\\n', '1,2\\n')))
    if p == '/gen-throw-first':
        def bad():
            raise ValueError('before any chunk')
            yield 'never'
        return bad()
    if p == '/gen-throw':
        def later():
            yield 'partial'
            time.sleep(0.02)
            raise ValueError('after streaming')
        return later()
    if p == '/gen-hang':
        def hang():
            yield 'partial'
            time.sleep(3600)
        return hang()
    if p == '/gen-print':
        def printing():
            print('inside the generator')
            yield 'ok'
        return printing()
    if p == '/ack':
        open(ack_file(req.query['name']), 'w').close()
        return 'acked'
    if p == '/log':
        import sys
        print('a line')
        print('an error line', file=sys.stderr)
        return 'logged'
    return context.response(statusCode=404, body='no route ' + p)
`;
