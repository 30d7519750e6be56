"""The conformance suite's probes (org.wsgi4j.conformance.Probes) written as a Python WSGI
application, so that ConformanceSuite checks the Python gateway on a real host.

/environ reports the environ in the suite's terms: PEP 3333's values converted back the way
SPEC S22 relates the two (SCRIPT_NAME and PATH_INFO are latin-1 str holding UTF-8 bytes, so they
are decoded; every other str is the same string), and Python's types named by the Java contract
type they stand for (str: String, bool: Boolean, the (1, 0) tuple: List, wsgi.input: InputStream,
wsgi.errors: PrintWriter, wsgi.file_wrapper: FileWrapper). The probes that need state across
requests (stream gates, close() counts) use the test's registry, a Java object the test adds to
the environ as 'wsgi4j.test.registry', because each request may run in another interpreter."""

import hashlib
import os
import sys
import tempfile
import time
from urllib.parse import parse_qsl

SECRET = 'probe-secret-7f3a'
FIRST_BLOCK = b'first block\n'
HEAD_BODY = b'hello, head'
FILE_SIZE = 200000
GATE_SECONDS = 60
ENDLESS_BLOCKS = 12000
TEXT = ('Content-Type', 'text/plain; charset=utf-8')
REGISTRY = 'wsgi4j.test.registry'
DECODED = ('SCRIPT_NAME', 'PATH_INFO')


def _file():
    content = bytes((i * 31 + i // 251) & 0xFF for i in range(FILE_SIZE))
    fd, name = tempfile.mkstemp(prefix='wsgi4j-probe-', suffix='.bin')
    with os.fdopen(fd, 'wb') as f:
        f.write(content)
    return name


FILE = _file()


def _escape(text):
    out = []
    for b in text.encode('utf-8'):
        if 0x20 < b < 0x7F and b != 0x25:
            out.append(chr(b))
        else:
            out.append('%%%02X' % b)
    return ''.join(out)


def _entry(key, value):
    if key in DECODED and type(value) is str:
        return 'String', value.encode('latin-1').decode('utf-8')
    if type(value) is str:
        return 'String', value
    if type(value) is bool:
        return 'Boolean', 'true' if value else 'false'
    if key == 'wsgi.version':
        return 'List', '[%s]' % ', '.join(str(v) for v in value)
    if key == 'wsgi.input':
        return 'InputStream', '-'
    if key == 'wsgi.errors':
        return 'PrintWriter', '-'
    if key == 'wsgi.file_wrapper':
        return 'FileWrapper', '-'
    return type(value).__name__, '-'


def environ_probe(environ, start_response):
    lines = []
    for key in sorted(k for k in environ if k != REGISTRY):
        kind, value = _entry(key, environ[key])
        lines.append('%s %s %s\n' % (_escape(key), _escape(kind), _escape(value)))
    start_response('200 OK', [TEXT])
    return [''.join(lines).encode('utf-8')]


def echo(environ, start_response):
    body = environ['wsgi.input'].read()
    start_response('200 OK', [('Content-Type', 'application/octet-stream'),
                              ('X-Echo-Length', str(len(body))),
                              ('X-Echo-Sha256', hashlib.sha256(body).hexdigest()),
                              ('X-Echo-Content-Length', environ.get('CONTENT_LENGTH', 'absent'))])
    return [body]


def stream(environ, start_response, query):
    n = int(query.get('n', '3'))
    gate = query.get('gate')
    registry = environ[REGISTRY]
    start_response('200 OK', [TEXT])

    def blocks():
        for i in range(n):
            # S13: the client releases block i+1 only after it has received block i.
            if i > 0 and gate is not None and not registry.passGate(gate, GATE_SECONDS):
                raise RuntimeError("gate '%s' was not released within %d s" % (gate, GATE_SECONDS))
            yield ('block %d of %d\n' % (i + 1, n)).encode('ascii')
    return blocks()


def too_many(start_response):
    start_response('200 OK', [TEXT, ('Content-Length', '5')])
    return (block for block in (b'123', b'4567890'))


def too_few(start_response):
    start_response('200 OK', [TEXT, ('Content-Length', '10')])
    return (block for block in (b'12345',))


def status(start_response, code):
    if code == '204':
        start_response('204 No Content', [('X-Probe', '204')])
    elif code == '304':
        start_response('304 Not Modified', [('ETag', '"probe"')])
    else:
        raise ValueError("status probe knows 204 and 304, not '%s'" % code)
    return [b'this body must not be sent']


def write_probe(start_response):
    write = start_response('200 OK', [TEXT])
    write(b'one\n')
    write(b'')
    write(b'two\n')
    return [b'three\n']


def excinfo_before(start_response):
    start_response('200 OK', [('X-Probe', 'original'), ('Content-Type', 'text/html')])
    try:
        raise RuntimeError('changed its mind ' + SECRET)
    except RuntimeError:
        start_response('503 Service Unavailable', [('X-Probe', 'replaced'), TEXT], sys.exc_info())
    return [b'replaced\n']


def excinfo_after(start_response):
    start_response('200 OK', [TEXT])

    def blocks():
        yield FIRST_BLOCK
        try:
            raise RuntimeError('error after commit ' + SECRET)
        except RuntimeError:
            # PEP 3333: after the headers went out this re-raises, ending the iteration.
            start_response('500 Internal Server Error', [], sys.exc_info())
        yield b'start_response with exc_info after commit returned\n'
    return blocks()


def error_before(start_response):
    start_response('200 OK', [('Content-Type', 'text/html'), ('X-Probe', 'original')])
    raise RuntimeError('error before commit ' + SECRET)


def error_after(start_response, query):
    headers = [TEXT]
    if 'length' in query:
        headers.append(('Content-Length', query['length']))
    start_response('200 OK', headers)

    def blocks():
        yield FIRST_BLOCK
        raise RuntimeError('error after commit ' + SECRET)
    return blocks()


def endless(start_response):
    start_response('200 OK', [TEXT])
    block = b'tick\n' * 200

    def blocks():
        for i in range(ENDLESS_BLOCKS):
            if i > 0:
                time.sleep(0.01)
            yield block
    return blocks()


class Tracked:
    """The body, with each close() counted under the test's id."""

    def __init__(self, body, registry, ident):
        self.body = body
        self.registry = registry
        self.ident = ident

    def __iter__(self):
        return iter(self.body)

    def close(self):
        try:
            close = getattr(self.body, 'close', None)
            if close is not None:
                close()
        finally:
            self.registry.recordClose(self.ident)


def plain(start_response, text):
    start_response('200 OK', [TEXT])
    return [text.encode('utf-8')]


def application(environ, start_response):
    path = environ['PATH_INFO']
    query = dict(parse_qsl(environ['QUERY_STRING'], keep_blank_values=True))
    registry = environ[REGISTRY]
    if path == '/echo':
        body = echo(environ, start_response)
    elif path == '/stream':
        body = stream(environ, start_response, query)
    elif path == '/length':
        body = plain(start_response, '0123456789')
    elif path == '/too-many':
        body = too_many(start_response)
    elif path == '/too-few':
        body = too_few(start_response)
    elif path == '/head':
        start_response('200 OK', [TEXT, ('Content-Length', str(len(HEAD_BODY)))])
        body = [HEAD_BODY]
    elif path.startswith('/status/'):
        body = status(start_response, path[len('/status/'):])
    elif path == '/headers':
        start_response('200 OK', [('Set-Cookie', 'a=1; Path=/'), ('X-Latin', 'caf\xe9'), ('Set-Cookie', 'b=2'), TEXT])
        body = [b'headers\n']
    elif path == '/host-fields':
        start_response('200 OK', [('Date', 'Sun, 06 Nov 1994 08:49:37 GMT'), ('Server', 'wsgi4j-probe/1'), TEXT])
        body = [b'host-fields\n']
    elif path == '/write':
        body = write_probe(start_response)
    elif path == '/file':
        start_response('200 OK', [('Content-Type', 'application/octet-stream')])
        body = environ['wsgi.file_wrapper'](open(FILE, 'rb'))
    elif path == '/excinfo-before':
        body = excinfo_before(start_response)
    elif path == '/excinfo-after':
        body = excinfo_after(start_response)
    elif path == '/error-before':
        body = error_before(start_response)
    elif path == '/error-after':
        body = error_after(start_response, query)
    elif path == '/endless':
        body = endless(start_response)
    elif path == '/release':
        registry.release(query['gate'])
        body = plain(start_response, 'released\n')
    elif path == '/closed':
        wait = min(60, int(query.get('wait', '0')))
        body = plain(start_response, 'closed=%d\n' % registry.awaitCloses(query['id'], wait))
    else:
        # As the Java probes: every other path (/environ/..., /, the mount itself) reports the environ.
        body = environ_probe(environ, start_response)
    if 'track' in query:
        return Tracked(body, registry, query['track'])
    return body
