package org.wsgi4j.server;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.wsgi4j.FileBody;

/** A sink that records every call and byte, for the engine tests. Commits at the first flush. */
class RecordingSink implements ResponseSink {
    final List<String> calls = new ArrayList<>();
    final List<ResponseHead> heads = new ArrayList<>();
    final ByteArrayOutputStream body = new ByteArrayOutputStream();
    boolean committed;
    boolean zeroCopy;
    /** Throw (as a vanished client does) on the n-th sendBlock, counting from 1; 0 never. */
    int vanishAtBlock;
    private int blocks;
    Throwable abortCause;

    @Override
    public void sendHead(ResponseHead head) {
        if (committed) {
            throw new AssertionError("sendHead after commit");
        }
        heads.add(head);
        body.reset();
        calls.add("head " + head.status());
    }

    @Override
    public void sendBlock(byte[] data, int offset, int length) throws IOException {
        if (++blocks == vanishAtBlock) {
            calls.add("vanish");
            throw new IOException("Broken pipe");
        }
        body.write(data, offset, length);
        calls.add("block " + new String(data, offset, length, StandardCharsets.ISO_8859_1));
    }

    @Override
    public void flush() {
        committed = true;
        calls.add("flush");
    }

    @Override
    public void complete() {
        calls.add("complete");
    }

    @Override
    public void abort(Throwable cause) {
        abortCause = cause;
        calls.add("abort");
    }

    @Override
    public boolean isCommitted() {
        return committed;
    }

    @Override
    public boolean sendFile(FileBody file) throws IOException {
        if (!zeroCopy) {
            return false;
        }
        calls.add("sendFile " + file.position() + "+" + file.count());
        return true;
    }

    ResponseHead head() {
        return heads.get(heads.size() - 1);
    }

    String text() {
        return body.toString(StandardCharsets.ISO_8859_1);
    }

    String header(String name) {
        return head().headers().stream().filter(h -> h.is(name)).map(h -> h.value()).findFirst().orElse(null);
    }
}
