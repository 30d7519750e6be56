# The server side of PEP 3333 inside GraalPy, over wsgi4j's Java contract.
#
# Each request gets a Java "exchange" (org.wsgi4j.python.internal.Exchange) that carries the
# request's input, errors, start_response and write. Everything crossing the border is a str, a
# bool, an int or bytes: a Python app never holds a Java object of another request.

import sys
import traceback

_BLOCK = 65536


class Input:
    """wsgi.input (PEP 3333 "Input and Error Streams"): a file object over the request's
    java.io.InputStream. Reads go to Java as they are asked for; the body is never copied whole
    unless the application asks for all of it."""

    __slots__ = ('_exchange', '_buffer', '_eof')

    def __init__(self, exchange):
        self._exchange = exchange
        self._buffer = b''
        self._eof = False

    def _more(self, n):
        if self._eof:
            return b''
        # latin-1 is byte for character: Java's compact strings carry the bytes without a copy per byte.
        chunk = self._exchange.read(n).encode('latin-1')
        if not chunk:
            self._eof = True
        return chunk

    def read(self, size=-1):
        if size is None or size < 0:
            parts = [self._buffer]
            self._buffer = b''
            while True:
                chunk = self._more(_BLOCK)
                if not chunk:
                    return b''.join(parts)
                parts.append(chunk)
        while len(self._buffer) < size:
            chunk = self._more(max(size - len(self._buffer), 0))
            if not chunk:
                break
            self._buffer += chunk
        data, self._buffer = self._buffer[:size], self._buffer[size:]
        return data

    def readline(self, size=-1):
        if size is None:
            size = -1
        start = 0
        while True:
            end = self._buffer.find(b'\n', start)
            if end >= 0:
                end += 1
                break
            if 0 <= size <= len(self._buffer):
                end = size
                break
            start = len(self._buffer)
            want = _BLOCK if size < 0 else min(_BLOCK, size - len(self._buffer))
            chunk = self._more(want)
            if not chunk:
                end = len(self._buffer)
                break
            self._buffer += chunk
        if 0 <= size < end:
            end = size
        line, self._buffer = self._buffer[:end], self._buffer[end:]
        return line

    def readlines(self, hint=-1):
        lines = []
        total = 0
        for line in self:
            lines.append(line)
            total += len(line)
            if hint is not None and 0 < hint <= total:
                break
        return lines

    def __iter__(self):
        return self

    def __next__(self):
        line = self.readline()
        if not line:
            raise StopIteration
        return line


class Errors:
    """wsgi.errors: text goes to the host's log (the request's Java wsgi.errors writer)."""

    __slots__ = ('_exchange',)

    def __init__(self, exchange):
        self._exchange = exchange

    def write(self, text):
        if not isinstance(text, str):
            raise TypeError('wsgi.errors.write() takes a str, not %s' % type(text).__name__)
        self._exchange.error(text)

    def writelines(self, seq):
        for text in seq:
            self.write(text)

    def flush(self):
        self._exchange.flushErrors()


class FileWrapper:
    """wsgi.file_wrapper (PEP 3333 "Optional Platform-Specific File Handling"). Iterable like any
    body; when the file is a real file on disk, the Java side sends it through the host's
    zero-copy path instead (org.wsgi4j.FileBody)."""

    def __init__(self, filelike, blksize=8192):
        self.filelike = filelike
        self.blksize = blksize
        if hasattr(filelike, 'close'):
            self.close = filelike.close

    def __iter__(self):
        return self

    def __next__(self):
        data = self.filelike.read(self.blksize)
        if data:
            return data
        raise StopIteration


def file_region(body):
    """(path, position, count, block size) when body is a FileWrapper over a regular file on the
    host's file system, else None; the file's position is where sending starts."""
    if type(body) is not FileWrapper:
        return None
    f = body.filelike
    try:
        import os
        import stat
        name = getattr(f, 'name', None)
        if not isinstance(name, str) or 'b' not in getattr(f, 'mode', ''):
            return None
        st = os.fstat(f.fileno())
        if not stat.S_ISREG(st.st_mode):
            return None
        position = f.tell()
        path = os.path.realpath(name)
        if not path.startswith('/') or os.stat(path).st_ino != st.st_ino:
            return None
        return (path, position, max(st.st_size - position, 0), int(body.blksize))
    except Exception:
        return None


def _check_status(status):
    if type(status) is not str:
        raise TypeError('start_response: status must be a str, not %s: %r' % (type(status).__name__, status))


def _flatten(headers):
    if type(headers) is not list:
        raise TypeError('start_response: headers must be a list, not %s' % type(headers).__name__)
    flat = []
    for header in headers:
        if type(header) is not tuple or len(header) != 2:
            raise TypeError('start_response: each header must be a (name, value) tuple, not %r' % (header,))
        name, value = header
        if type(name) is not str or type(value) is not str:
            raise TypeError('start_response: header name and value must be str, not %r' % (header,))
        flat.append(name)
        flat.append(value)
    return flat


class ExitInRequest(RuntimeError):
    """SystemExit raised while serving a request: an error of that request, not the end of the
    interpreter, which goes on serving others."""


class Request:
    """One request through the application: environ, start_response, the body's iterator and
    close(). The Java side (PythonApplication) drives it."""

    __slots__ = ('exchange', 'environ', 'result', 'iterator', 'blocks', '__weakref__')

    def __init__(self, exchange, flat_environ):
        self.exchange = exchange
        items = iter(flat_environ)
        environ = dict(zip(items, items))
        environ['wsgi.version'] = (1, 0)
        environ['wsgi.input'] = Input(exchange)
        environ['wsgi.errors'] = Errors(exchange)
        environ['wsgi.file_wrapper'] = FileWrapper
        self.environ = environ
        self.result = None
        self.iterator = None
        self.blocks = None

    def start_response(self, status, headers, exc_info=None):
        _check_status(status)
        flat = _flatten(headers)
        if exc_info is None:
            self.exchange.start(status, flat, False)
        else:
            try:
                if self.exchange.start(status, flat, True):
                    # PEP 3333: headers already went out, so start_response re-raises exc_info.
                    raise exc_info[1].with_traceback(exc_info[2])
            finally:
                exc_info = None
        return self.write

    def write(self, data):
        if type(data) is not bytes:
            raise TypeError('write() takes bytes, not %s' % type(data).__name__)
        self.exchange.write(data)

    def call(self, app):
        try:
            result = app(self.environ, self.start_response)
            if isinstance(result, (str, bytes)):
                # PEP 3333: a str or bytes body would be sent one character at a time.
                raise TypeError('the application returned a %s; it must return an iterable of bytes, '
                                'e.g. [body]' % type(result).__name__)
            self.result = result
            if type(result) in (list, tuple):
                # Produced already: the host gets them as a collection, and so may compute the
                # Content-Length of a single block (PEP 3333 "Handling the Content-Length Header").
                for block in result:
                    if type(block) is not bytes:
                        raise TypeError('the body yielded a %s; blocks must be bytes' % type(block).__name__)
                self.blocks = list(result)
            self.iterator = iter(result)
        except SystemExit as e:
            raise self.exit(e) from e
        except BaseException:
            self.report()
            raise
        return self

    def next_block(self):
        """The next block of the body, or None at its end."""
        try:
            block = next(self.iterator)
        except StopIteration:
            return None
        except SystemExit as e:
            raise self.exit(e) from e
        except BaseException:
            self.report()
            raise
        if type(block) is not bytes:
            error = TypeError('the body yielded a %s; blocks must be bytes' % type(block).__name__)
            self.report(error)
            raise error
        return block

    def close(self):
        close = getattr(self.result, 'close', None)
        if close is not None:
            try:
                close()
            except SystemExit as e:
                raise self.exit(e) from e
            except BaseException:
                self.report()
                raise

    def exit(self, e):
        error = ExitInRequest('the application raised SystemExit(%r) in a request' % (e.code,))
        error.__cause__ = e
        self.report(error)
        return error

    def report(self, error=None):
        """The traceback to wsgi.errors (PEP 3333: errors go to the server's log)."""
        errors = self.environ['wsgi.errors']
        if error is None:
            traceback.print_exc(file=errors)
        else:
            traceback.print_exception(type(error), error, error.__traceback__, file=errors)
        errors.flush()


class StartFailure(Exception):
    """Why the application cannot be served, as one sentence (plus the frames of an import error)."""


def _import_frames(error):
    """The traceback of a failed import without importlib's own frames."""
    frames = [frame for frame in traceback.extract_tb(error.__traceback__)
              if not frame.filename.startswith('<frozen ') and frame.filename != '<string>'
              and not frame.filename.endswith('wsgi4j_gateway.py')]
    return ''.join(traceback.format_list(frames)).rstrip()


def load(module, callable_name):
    """Imports module and returns the callable; raises StartFailure with a sentence otherwise."""
    import importlib
    try:
        mod = importlib.import_module(module)
    except SystemExit as e:
        raise StartFailure("importing module '%s' called sys.exit(%r)" % (module, e.code)) from None
    except BaseException as e:
        frames = _import_frames(e)
        raise StartFailure("importing module '%s' failed: %s: %s%s" % (
            module, type(e).__name__, e, ('\n' + frames) if frames else '')) from None
    target = mod
    for part in callable_name.split('.'):
        try:
            target = getattr(target, part)
        except AttributeError:
            raise StartFailure("module '%s' (%s) has no attribute '%s'"
                               % (module, getattr(mod, '__file__', '?'), callable_name)) from None
    if not callable(target):
        raise StartFailure("'%s:%s' is a %s, not a callable WSGI application"
                           % (module, callable_name, type(target).__name__))
    return target
