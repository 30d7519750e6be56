// This project runs on the module path (the other two on the class path): wsgi4j's module
// descriptors are tested here. Applications.load reflects on com.example.Api, hence the export.
module com.example {
    requires org.wsgi4j.jetty;

    exports com.example;
}
