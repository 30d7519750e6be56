/** wsgi4j-uwsgi: the uwsgi protocol listener ({@code org.wsgi4j.uwsgi}). Depends on nothing but wsgi4j-core. */
module org.wsgi4j.uwsgi {
    requires transitive org.wsgi4j;

    exports org.wsgi4j.uwsgi;
}
