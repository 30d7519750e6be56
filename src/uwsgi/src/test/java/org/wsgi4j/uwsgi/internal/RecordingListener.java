package org.wsgi4j.uwsgi.internal;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;

/** Records parser events as strings; body bytes are collected apart, since their split varies. */
class RecordingListener implements UwsgiParser.Listener {

    final List<String> events = new ArrayList<>();
    final ByteArrayOutputStream body = new ByteArrayOutputStream();
    UwsgiParser.Failure failure;
    String reason;

    @Override
    public void onHeader(int modifier1, int varsSize, int modifier2) {
        events.add("header " + modifier1 + " " + varsSize + " " + modifier2);
    }

    /** Vars are recorded as latin-1, byte for character (SPEC S22: the parser decodes nothing). */
    @Override
    public boolean onVars(UwsgiVars vars, long contentLength) {
        for (int i = 0; i < vars.size(); i++) {
            events.add(vars.key(i) + "=" + vars.value(i, java.nio.charset.StandardCharsets.ISO_8859_1));
        }
        events.add("vars done, " + contentLength + " body bytes");
        return false;
    }

    @Override
    public void onContent(ByteBuffer content) {
        byte[] bytes = new byte[content.remaining()];
        content.get(bytes);
        body.writeBytes(bytes);
    }

    @Override
    public void onEnd() {
        events.add("end");
    }

    @Override
    public void onFailure(UwsgiParser.Failure failure, String reason) {
        if (this.failure != null) {
            throw new AssertionError("second failure " + failure + " after " + this.failure);
        }
        this.failure = failure;
        this.reason = reason;
        events.add("failure " + failure);
    }
}
