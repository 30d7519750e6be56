/**
 * The wsgi4j contract, for application authors: {@link org.wsgi4j.Application} (one function per
 * request), {@link org.wsgi4j.StartResponse}, {@link org.wsgi4j.Write} and {@link org.wsgi4j.Header},
 * the environ keys and accessors in {@link org.wsgi4j.Environ}, bodies ({@link org.wsgi4j.Bodies},
 * {@link org.wsgi4j.FileBody}) and {@link org.wsgi4j.Applications#load}, which every host uses to
 * turn a spec string such as {@code com.example.Apps::hello} into an application.
 *
 * <p>This package depends on nothing but the JDK. SPEC.md holds the rules both sides follow; their
 * ids ({@code E3}, {@code A2}, {@code S17}) appear in Javadoc, tests and
 * {@link org.wsgi4j.middleware.Lint}'s messages.
 */
package org.wsgi4j;
