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

/**
 * TLS for clients of test servers: trusts any certificate. For test servers with throwaway
 * self-signed certificates only, never for a real peer.
 */
public final class TrustingTls {

    private TrustingTls() {
    }

    /**
     * A TLS context that accepts every server certificate.
     *
     * @return a new, initialised {@code SSLContext}
     * @throws IOException if this JVM has no TLS
     */
    public static SSLContext context() throws IOException {
        try {
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(null, new TrustManager[] {trustAll()}, null);
            return context;
        } catch (GeneralSecurityException e) {
            throw new IOException("no TLS in this JVM", e);
        }
    }

    /** The raw connection {@code socket}, after a TLS handshake offering HTTP/1.1 by ALPN. */
    static Socket wrap(Socket socket, InetSocketAddress address) throws IOException {
        SSLSocket tls = (SSLSocket) context().getSocketFactory().createSocket(socket, address.getHostString(),
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
