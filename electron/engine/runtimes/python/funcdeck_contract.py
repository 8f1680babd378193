# The kubeless handler contract of Funcdeck's Python runtime, as plain functions the worker process
# uses (funcdeck_worker.py): the event and context a handler gets, CloudEvents read into them, and how
# a returned value becomes an HTTP answer, whole or streamed (a generator). The README's "Handler
# contract" section is this file in words; electron/engine/runtimes/contract.test.ts checks each line.
import base64
import datetime
import inspect
import io
import json
from urllib.parse import unquote

TEXT_TYPES = ("application/x-www-form-urlencoded", "application/xml", "application/javascript")
STRUCTURED = "application/cloudevents+json"


def media_type(content_type):
    return (content_type or "").split(";")[0].strip().lower()


def is_json_type(ctype):
    return ctype == "application/json" or ctype.endswith("+json")


def decode_data(raw, content_type):
    """Request bytes as kubeless gives them: JSON parsed (None when empty), anything else the bytes. Raises ValueError on bad JSON."""
    if is_json_type(media_type(content_type)):
        return json.loads(raw.decode("utf-8")) if raw else None
    return bytes(raw)


class AttrDict(dict):
    """A dict whose keys also read as attributes (bottle's FormsDict: request.query.name)."""

    def __getattr__(self, name):
        try:
            return self[name]
        except KeyError:
            raise AttributeError(name) from None


class Headers(dict):
    """Request headers: lower-case keys, looked up in any case (as bottle's request.headers)."""

    def __getitem__(self, key):
        return dict.__getitem__(self, key.lower())

    def get(self, key, default=None):
        return dict.get(self, key.lower(), default)

    def __contains__(self, key):
        return dict.__contains__(self, key.lower())


class Request(AttrDict):
    """event['extensions']['request']: a dict (method, path, query, headers) that also reads like bottle's request."""

    def __init__(self, method, target, path, query, headers, raw):
        super().__init__(method=method, path=path, query=query, headers=headers)
        self._raw = raw
        self.url = target
        self.fullpath = path
        self.query_string = target.partition("?")[2]
        self.GET = query
        self.content_type = headers.get("content-type", "")
        self.content_length = len(raw)

    @property
    def body(self):
        return io.BytesIO(self._raw)

    @property
    def json(self):
        if is_json_type(media_type(self.content_type)) and self._raw:
            return json.loads(self._raw.decode("utf-8"))
        return None

    def get_header(self, name, default=None):
        return self["headers"].get(name, default)


def read_cloud_event(headers, raw):
    """(attributes, data) of a CloudEvent in the request (binary: ce-* headers; structured: application/cloudevents+json), or None."""
    if media_type(headers.get("content-type")) == STRUCTURED:
        try:
            doc = json.loads(raw.decode("utf-8"))
        except ValueError as e:
            raise ValueError("The body is not a valid structured CloudEvent (JSON): %s" % e) from None
        if not isinstance(doc, dict):
            raise ValueError("The body is not a valid structured CloudEvent: it must be a JSON object.")
        attributes = {k: v for k, v in doc.items() if k not in ("data", "data_base64")}
        if isinstance(doc.get("data_base64"), str):
            data = base64.b64decode(doc["data_base64"])
        elif "data" in doc:
            data = doc["data"]
            # Non-JSON data arrives as bytes, whichever mode carried it.
            if isinstance(data, str) and not is_json_type(media_type(doc.get("datacontenttype") or "application/json")):
                data = data.encode("utf-8")
        else:
            data = None
        return attributes, data
    if "ce-specversion" not in headers:
        return None
    attributes = {k[3:]: unquote(v) for k, v in headers.items() if k.startswith("ce-") and len(k) > 3}
    if headers.get("content-type"):
        attributes["datacontenttype"] = headers["content-type"]
    return attributes, decode_data(raw, headers.get("content-type"))


def _now():
    return datetime.datetime.now(datetime.timezone.utc).isoformat()


def build_event(req_id, method, target, path, query, headers, raw):
    """The event a call's handler gets. event-id is the caller's event-id header, else Funcdeck's request id."""
    ce = read_cloud_event(headers, raw)

    def given(v):
        return v if isinstance(v, str) and v else None

    if ce is not None:
        attrs, data = ce
        event = {
            "data": data,
            "event-id": given(attrs.get("id")) or given(headers.get("event-id")) or req_id,
            "event-type": given(attrs.get("type")) or "",
            "event-time": given(attrs.get("time")) or _now(),
            "event-namespace": given(attrs.get("source")) or "funcdeck.dev",
        }
    else:
        event = {
            "data": decode_data(raw, headers.get("content-type")),
            "event-id": given(headers.get("event-id")) or req_id,
            "event-type": given(headers.get("event-type")) or headers.get("content-type") or "",
            "event-time": given(headers.get("event-time")) or _now(),
            "event-namespace": given(headers.get("event-namespace")) or "funcdeck.dev",
        }
    event["extensions"] = {"request": Request(method, target, path, AttrDict(query), headers, raw)}
    if ce is not None:
        event["extensions"]["cloudevent"] = ce[0]
    return event


class Response(dict):
    """A value made by context.response(): the only returned dict read as status, headers and body."""


def response(envelope=None, **kw):
    e = dict(envelope) if isinstance(envelope, dict) else ({"body": envelope} if envelope is not None else {})
    e.update(kw)
    status = e.get("statusCode", 200)
    if not isinstance(status, int) or isinstance(status, bool) or not 100 <= status <= 599:
        raise TypeError("context.response: statusCode must be a whole number from 100 to 599, not %r" % (status,))
    return Response(statusCode=status, headers=dict(e.get("headers") or {}), body=e.get("body"))


class Context(dict):
    """The context: a dict as kubeless gives it, plus context.response() for the response envelope."""

    def response(self, envelope=None, **kw):
        return response(envelope, **kw)


def build_context(config):
    return Context(
        {
            "function-name": config["function_name"],
            "timeout": float(config["timeout"]),
            "runtime": config["runtime"],
            "memory-limit": config["memory_limit"],
            "revision": config["revision"],
        }
    )


def encode_body(value):
    """(default content-type or None, bytes) for a body value."""
    if value is None:
        return None, b""
    if isinstance(value, str):
        return "text/plain; charset=utf-8", value.encode("utf-8")
    if isinstance(value, (bytes, bytearray, memoryview)):
        return "application/octet-stream", bytes(value)
    return "application/json", json.dumps(value, default=str).encode("utf-8")


def is_stream(value):
    return inspect.isgenerator(value) or inspect.isasyncgen(value)


def unwrap(value):
    """(status, headers, body) of a returned value: any dict, one with a statusCode too, is JSON; only context.response() sets status and headers."""
    if isinstance(value, Response):
        headers = {str(k).lower(): str(v) for k, v in value["headers"].items()}
        return value["statusCode"], headers, value["body"]
    return 200, {}, value


def encode_result(value):
    status, headers, body = unwrap(value)
    ctype, data = encode_body(body)
    if ctype and "content-type" not in headers:
        headers["content-type"] = ctype
    return status, headers, data


def encode_chunk(item):
    """(default content-type, bytes) for one item a generator yielded: text, bytes, or JSON as one line."""
    if isinstance(item, str):
        return "text/plain; charset=utf-8", item.encode("utf-8")
    if isinstance(item, (bytes, bytearray, memoryview)):
        return "application/octet-stream", bytes(item)
    return "application/x-ndjson", json.dumps(item, default=str).encode("utf-8") + b"\n"
