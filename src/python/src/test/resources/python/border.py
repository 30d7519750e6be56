"""Test applications for the PEP 3333 border, each wrapped in CPython's own checker,
wsgiref.validate.validator, with its warnings turned into errors (a warning is a failed request)."""

import json
import sys
import warnings
from wsgiref.validate import validator, WSGIWarning

warnings.simplefilter('error', WSGIWarning)

TEXT = [('Content-Type', 'text/plain; charset=utf-8')]


def _environ_view(environ):
    view = {}
    for key, value in environ.items():
        if isinstance(value, (str, bool, int)) or value is None:
            view[key] = value
        elif isinstance(value, tuple):
            view[key] = list(value)
        else:
            view[key] = type(value).__name__
    view['types'] = {key: type(value).__name__ for key, value in environ.items()}
    return view


def _input(environ, mode):
    stream = environ['wsgi.input']
    if mode == 'read':
        return [stream.read(-1)]
    if mode == 'readall':
        return [stream.read()]
    if mode == 'read3':
        parts = []
        while True:
            part = stream.read(3)
            if not part:
                return parts
            parts.append(part)
    if mode == 'readline':
        lines = []
        while True:
            line = stream.readline()
            if not line:
                return lines
            lines.append(line)
    if mode == 'readline4':
        lines = []
        while True:
            line = stream.readline(4)
            if not line:
                return lines
            lines.append(line)
    if mode == 'readlines':
        return stream.readlines()
    if mode == 'iter':
        return list(stream)
    raise ValueError('unknown mode ' + mode)


def raw(environ, start_response):
    path = environ['PATH_INFO']
    query = environ['QUERY_STRING']
    if path == '/environ' or path.startswith('/environ/'):
        body = json.dumps(_environ_view(environ), sort_keys=True).encode('utf-8')
        start_response('200 OK', [('Content-Type', 'application/json')])
        return [body]
    if path.startswith('/input/'):
        parts = _input(environ, path[len('/input/'):])
        body = json.dumps([part.decode('latin-1') for part in parts]).encode('utf-8')
        start_response('200 OK', [('Content-Type', 'application/json')])
        return [body]
    if path == '/stream':
        start_response('200 OK', TEXT)

        def blocks():
            for i in range(3):
                environ['wsgi.errors'].write('producing block %d\n' % i)
                yield b'block %d\n' % i
        return blocks()
    if path == '/write':
        write = start_response('200 OK', TEXT)
        write(b'written, ')
        return [b'then returned']
    if path == '/error':
        raise ValueError('boom from the application')
    if path == '/excinfo-before':
        start_response('200 OK', TEXT)
        try:
            raise KeyError('changed my mind')
        except KeyError:
            start_response('500 Internal Server Error', TEXT, sys.exc_info())
        return [b'error page']
    if path == '/excinfo-after':
        start_response('200 OK', TEXT)

        def blocks():
            yield b'first block\n'
            try:
                raise KeyError('too late')
            except KeyError:
                start_response('500 Internal Server Error', TEXT, sys.exc_info())
            yield b'never sent\n'
        return blocks()
    if path == '/file':
        name = query
        start_response('200 OK', [('Content-Type', 'application/octet-stream')])
        return environ['wsgi.file_wrapper'](open(name, 'rb'), 4096)
    if path == '/path':
        start_response('200 OK', TEXT)
        return [('%r %r' % (environ['SCRIPT_NAME'], environ['PATH_INFO'])).encode('latin-1')]
    start_response('404 Not Found', TEXT)
    return [b'no such probe: ' + path.encode('latin-1')]


class Closing:
    """A body whose close() is counted in wsgi.errors."""

    def __init__(self, environ):
        self.errors = environ['wsgi.errors']

    def __iter__(self):
        yield b'closing body'

    def close(self):
        self.errors.write('close called\n')


def unchecked(environ, start_response):
    """Bodies and calls the validator itself refuses, to check what the gateway does with them."""
    path = environ['PATH_INFO']
    if path == '/closing':
        start_response('200 OK', TEXT)
        return Closing(environ)
    if path == '/str-body':
        start_response('200 OK', TEXT)
        return 'not bytes'
    if path == '/str-block':
        start_response('200 OK', TEXT)
        return ['not bytes']
    if path == '/bytes-status':
        start_response(b'200 OK', TEXT)
        return [b'']
    if path == '/exit':
        raise SystemExit(3)
    if path == '/slow':
        import time
        start_response('200 OK', TEXT)
        time.sleep(float(environ['QUERY_STRING']))
        return [b'slept']
    return raw(environ, start_response)


app = validator(raw)
