/**
 * wsgi4j-conformance: the probe applications and {@code ConformanceSuite}, which a host module
 * extends in its tests (SPEC section 6).
 */
module org.wsgi4j.conformance {
    requires transitive org.wsgi4j;
    requires transitive org.junit.jupiter.api;
    requires transitive org.junit.jupiter.params;

    exports org.wsgi4j.conformance;
    exports org.wsgi4j.conformance.probes;

    // JUnit calls the suite's test methods reflectively.
    opens org.wsgi4j.conformance to org.junit.platform.commons;
}
