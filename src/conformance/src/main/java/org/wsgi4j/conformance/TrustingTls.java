package org.wsgi4j.conformance;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.security.GeneralSecurityException;
import java.security.cert.X509Certificate;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509TrustManager;

/** TLS for the raw client against test servers: trusts any certificate, offers HTTP/1.1 by ALPN. */
final class TrustingTls {

    private TrustingTls() {
    }

    /** The raw connection {@code socket}, after a TLS handshake. */
    static Socket wrap(Socket socket, InetSocketAddress address) throws IOException {
        SSLContext context;
        try {
            context = SSLContext.getInstance("TLS");
            context.init(null, new TrustManager[] {trustAll()}, null);
        } catch (GeneralSecurityException e) {
            throw new IOException("no TLS in this JVM", e);
        }
        SSLSocket tls = (SSLSocket) context.getSocketFactory().createSocket(socket, address.getHostString(),
                address.getPort(), true);
        SSLParameters parameters = tls.getSSLParameters();
        parameters.setApplicationProtocols(new String[] {"http/1.1"});
        tls.setSSLParameters(parameters);
        tls.startHandshake();
        return tls;
    }

    /** Accepts every certificate: for test servers with throwaway self-signed certificates only. */
    static X509TrustManager trustAll() {
        return new X509TrustManager() {
            @Override
            public void checkClientTrusted(X509Certificate[] chain, String authType) {
            }

            @Override
            public void checkServerTrusted(X509Certificate[] chain, String authType) {
            }

            @Override
            public X509Certificate[] getAcceptedIssuers() {
                return new X509Certificate[0];
            }
        };
    }
}
