import type { FunctionTemplate } from '../../../shared/contract/functions';

/** Starting points offered by "New function": per language a hello world, a JSON echo and an HTTP example. */
const js = {
  hello: `// Called for every request. Return a string, a Buffer or anything JSON-able; to set the
// status and headers, return context.response({ statusCode, headers, body }).
module.exports.main = async (event, context) => {
  console.log('hello from', context['function-name']);
  return 'Hello, world!';
};
`,
  echo: `// Echoes a JSON body back, with a timestamp.
module.exports.main = async (event) => {
  const data = event.data ?? {};
  return { received: data, at: event['event-time'] };
};
`,
  http: `// Reads the method, query and headers of the HTTP request.
module.exports.main = async (event, context) => {
  const { method, path, query, headers } = event.extensions.request;
  const name = query.name || 'stranger';
  return context.response({
    statusCode: 200,
    headers: { 'x-greeted': String(name) },
    body: { greeting: \`Hello, \${name}!\`, method, path, userAgent: headers['user-agent'] || null },
  });
};
`,
};

const tsTypes = `interface FuncdeckEvent<T = unknown> {
  data: T;
  'event-id': string;
  'event-type': string;
  'event-time': string;
  'event-namespace': string;
  extensions: { request: { method: string; path: string; query: Record<string, string | string[]>; headers: Record<string, string | string[] | undefined> } };
}
interface FuncdeckContext {
  'function-name': string;
  /** Seconds. */
  timeout: number;
  runtime: string;
  'memory-limit': string;
  /** Opts into setting the status and headers: return context.response({ statusCode, headers, body }). */
  response(envelope: { statusCode?: number; headers?: Record<string, string>; body?: unknown }): unknown;
}
`;
const ts = {
  hello: `${tsTypes}
export async function main(event: FuncdeckEvent, context: FuncdeckContext): Promise<string> {
  console.log('hello from', context['function-name']);
  return 'Hello, world!';
}
`,
  echo: `${tsTypes}
export async function main(event: FuncdeckEvent<Record<string, unknown> | null>): Promise<object> {
  return { received: event.data ?? {}, at: event['event-time'] };
}
`,
  http: `${tsTypes}
export async function main(event: FuncdeckEvent, context: FuncdeckContext) {
  const { method, path, query, headers } = event.extensions.request;
  const name = typeof query.name === 'string' ? query.name : 'stranger';
  return context.response({
    statusCode: 200,
    headers: { 'x-greeted': name },
    body: { greeting: \`Hello, \${name}!\`, method, path, userAgent: headers['user-agent'] ?? null },
  });
}
`,
};

const py = {
  hello: `# Called for every request. Return a str, bytes or anything JSON-able; to set the status
# and headers, return context.response({"statusCode": ..., "headers": {...}, "body": ...}).
def main(event, context):
    print("hello from", context["function-name"])
    return "Hello, world!"
`,
  echo: `# Echoes a JSON body back, with a timestamp.
def main(event, context):
    data = event["data"] if event["data"] is not None else {}
    return {"received": data, "at": event["event-time"]}
`,
  http: `# Reads the method, query and headers of the HTTP request.
def main(event, context):
    req = event["extensions"]["request"]
    name = req["query"].get("name", "stranger")
    return context.response({
        "statusCode": 200,
        "headers": {"x-greeted": str(name)},
        "body": {
            "greeting": "Hello, %s!" % name,
            "method": req["method"],
            "path": req["path"],
            "userAgent": req["headers"].get("user-agent"),
        },
    })
`,
};

const TITLES = {
  hello: ['Hello world', 'Answers every request with a greeting and logs a line.'],
  echo: ['JSON echo', 'Returns the JSON body it receives.'],
  http: ['HTTP with query and headers', 'Reads method, path, query and headers; sets a status and a header.'],
} as const;

function make(runtime: 'nodejs' | 'python', language: 'javascript' | 'typescript' | 'python', ext: string, sources: Record<keyof typeof TITLES, string>): FunctionTemplate[] {
  return (Object.keys(TITLES) as Array<keyof typeof TITLES>).map((kind) => ({
    id: `${language}-${kind}`,
    runtime,
    language,
    title: TITLES[kind][0],
    description: TITLES[kind][1],
    handler: 'handler.main',
    files: [{ path: `handler${ext}`, content: sources[kind] }],
    dependencies: '',
  }));
}

export const TEMPLATES: FunctionTemplate[] = [
  ...make('nodejs', 'javascript', '.js', js),
  ...make('nodejs', 'typescript', '.ts', ts),
  ...make('python', 'python', '.py', py),
];
