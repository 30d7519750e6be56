"""An ordinary Flask application, as it would run under gunicorn: routing, query strings,
JSON, form uploads, a streamed response, 404 and an exception."""

import hashlib

from flask import Flask, Response, jsonify, request, stream_with_context

app = Flask(__name__)


@app.route('/')
def index():
    return 'Hello from Flask on wsgi4j\n'


@app.route('/hello/<name>')
def hello(name):
    return jsonify(name=name, greeting=request.args.get('greeting', 'hello'), tags=request.args.getlist('tag'))


@app.route('/notes', methods=['POST'])
def notes():
    note = request.get_json()
    return jsonify(received=note, total=sum(note['numbers'])), 201


@app.route('/upload', methods=['POST'])
def upload():
    upload = request.files['file']
    data = upload.read()
    return jsonify(filename=upload.filename, size=len(data), sha256=hashlib.sha256(data).hexdigest(),
                   comment=request.form['comment'])


@app.route('/stream')
def stream():
    count = int(request.args.get('n', '3'))

    def generate():
        for i in range(count):
            yield 'line %d\n' % i
    return Response(stream_with_context(generate()), mimetype='text/plain')


@app.route('/fail')
def fail():
    raise RuntimeError('the view failed')


@app.route('/echo/<int:number>')
def echo(number):
    return jsonify(number=number, doubled=number * 2, id=request.headers.get('X-Request-Id'))
