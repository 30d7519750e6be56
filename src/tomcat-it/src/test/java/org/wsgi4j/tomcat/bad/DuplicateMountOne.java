package org.wsgi4j.tomcat.bad;

import org.wsgi4j.servlet.Mount;

/** One of two applications on one path: the WAR that holds both must not deploy (see Tomcat11IT). */
@Mount("/same")
public final class DuplicateMountOne extends EmptyApplication {
}
