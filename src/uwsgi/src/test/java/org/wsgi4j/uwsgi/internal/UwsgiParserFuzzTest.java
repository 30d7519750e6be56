package org.wsgi4j.uwsgi.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.lang.management.ManagementFactory;
import java.nio.ByteBuffer;
import org.wsgi4j.uwsgi.internal.UwsgiParser.Failure;
import org.wsgi4j.uwsgi.internal.UwsgiParser.Limits;
import org.wsgi4j.uwsgi.internal.UwsgiParser.State;

/**
 * Jazzer drives the parser with arbitrary bytes. Under plain {@code mvn verify} this runs the kept
 * inputs in {@code UwsgiParserFuzzTestInputs/} as regression cases; the {@code fuzz-parser} surefire
 * execution sets {@code JAZZER_FUZZ=1} and fuzzes for the bounded {@code maxDuration}.
 */
class UwsgiParserFuzzTest {

    /** Small limits so the fuzzer reaches every limit quickly. */
    static final Limits LIMITS = new Limits(512, 16, 1024);

    static final com.sun.management.ThreadMXBean THREADS =
            (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();

    @FuzzTest(maxDuration = "15s")
    void anyBytesSplitAnywhereGiveTheSameOutcomeWithinTheLimits(byte[] input) {
        int split = input.length == 0 ? 0 : (input[input.length - 1] & 0xFF) % (input.length + 1);

        // Measured on a second run: the first also pays for class loading and string-concat bootstraps.
        parseWhole(input);
        long before = THREADS.getCurrentThreadAllocatedBytes();
        RecordingListener whole = parseWhole(input);
        long allocated = THREADS.getCurrentThreadAllocatedBytes() - before;

        RecordingListener parts = new RecordingListener();
        UwsgiParser partsParser = new UwsgiParser(parts, LIMITS);
        partsParser.parse(ByteBuffer.wrap(input, 0, split));
        partsParser.parse(ByteBuffer.wrap(input, split, input.length - split));
        partsParser.eof();

        assertEquals(whole.events, parts.events);
        assertArrayEquals(whole.body.toByteArray(), parts.body.toByteArray());
        assertTrue(partsParser.state() == State.END || partsParser.state() == State.FAILED,
                partsParser.state()::toString);
        // The vars block (at most 512 bytes here) and its strings are all a packet may cost; a parser
        // that trusted the 16-bit size would allocate up to 64 KiB for a 4-byte input.
        assertTrue(allocated < 48 * 1024 + 16L * input.length, () -> allocated + " bytes allocated");
        if (input.length >= 4 && input[0] == 0) {
            int declared = (input[1] & 0xFF) | (input[2] & 0xFF) << 8;
            if (declared > LIMITS.maxVarsSize()) {
                assertEquals(Failure.VARS_TOO_LARGE, whole.failure);
            }
        }
    }

    private static RecordingListener parseWhole(byte[] input) {
        RecordingListener listener = new RecordingListener();
        UwsgiParser parser = new UwsgiParser(listener, LIMITS);
        parser.parse(ByteBuffer.wrap(input));
        parser.eof();
        return listener;
    }
}
