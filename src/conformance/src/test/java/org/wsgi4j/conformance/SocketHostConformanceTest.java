package org.wsgi4j.conformance;

/** The suite against the throwaway {@link SocketHost}: proves the suite itself before real hosts exist. */
class SocketHostConformanceTest extends ConformanceSuite {

    @Override
    protected Host startHost() throws Exception {
        return new SocketHost(Probes.application(), "/probe", "/exact");
    }
}
