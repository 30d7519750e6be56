package org.wsgi4j.spring;

import org.springframework.boot.diagnostics.AbstractFailureAnalyzer;
import org.springframework.boot.diagnostics.FailureAnalysis;

/** Boot's report of a {@link Wsgi4jMountException}: what is wrong, naming the beans, and what to change. */
class Wsgi4jMountFailureAnalyzer extends AbstractFailureAnalyzer<Wsgi4jMountException> {

    @Override
    protected FailureAnalysis analyze(Throwable rootFailure, Wsgi4jMountException cause) {
        return new FailureAnalysis(cause.getMessage(), cause.action(), cause);
    }
}
