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

    /** Vars are recorded as the environ side decodes them (SPEC S22). */
    @Override
    public boolean onVars(UwsgiVars vars, long contentLength) {
        for (UwsgiEnviron.Var var : UwsgiEnviron.vars(vars)) {
            events.add(var.key() + "=" + var.value());
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
