package org.wsgi4j.tomcat.bad;

import org.wsgi4j.servlet.Mount;

/** A mount path without its leading '/': the WAR that holds it must not deploy (see Tomcat11IT). */
@Mount("nowhere")
public final class NoLeadingSlashMount extends EmptyApplication {
}
