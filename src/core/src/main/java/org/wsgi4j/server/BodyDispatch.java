package org.wsgi4j.server;

import java.util.concurrent.Executor;

/**
 * Where {@link ResponseEngine#run(java.util.Map, ResponseSink, BodyDispatch)} sends a response's body,
 * chosen by the front end once the application has returned it and before the engine iterates it
 * (PEP 3333 lets {@code start_response} be called during the first iteration, so nothing is sent yet
 * unless the application used {@code write}). A front end whose calling thread must never wait (a
 * selector) keeps a body already in memory and small, and continues with anything else on a thread that
 * may wait for the client, where its sink writes with backpressure.
 */
@FunctionalInterface
public interface BodyDispatch {

    /**
     * The executor that sends {@code body}, or {@code null} to send it on the calling thread. Called at
     * most once per request, on the thread that called the application; the sink is used from the
     * returned executor's thread from then on (its {@code execute} orders the two threads' accesses).
     *
     * @param body the application's body (SPEC A6), not iterated yet
     * @return the executor to continue on, or {@code null}
     */
    Executor executor(Iterable<byte[]> body);
}
