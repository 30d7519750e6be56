package org.wsgi4j.jetty;

/** --static-map beside the applications of --front-end core: the same files, the same refusals. */
class CoreFrontEndStaticFilesTest extends StaticFilesTest {

    @Override
    Settings.FrontEnd frontEnd() {
        return Settings.FrontEnd.CORE;
    }
}
