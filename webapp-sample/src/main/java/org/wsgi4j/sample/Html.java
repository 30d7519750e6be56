package org.wsgi4j.sample;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

/** HTML escaping and the one page layout every sample page uses. */
final class Html {

    /**
     * The bundled stylesheet, inlined into every page: an application cannot know where (or
     * whether) {@link FilesApp} is mounted next to it, so a link to {@code style.css} could break.
     */
    private static final String CSS = loadCss();

    private Html() {
    }

    /** {@code text} with the five HTML-significant characters escaped, safe in text and in quoted attributes. */
    static String escape(String text) {
        StringBuilder out = new StringBuilder(text.length() + 16);
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            switch (c) {
                case '&' -> out.append("&amp;");
                case '<' -> out.append("&lt;");
                case '>' -> out.append("&gt;");
                case '"' -> out.append("&quot;");
                case '\'' -> out.append("&#39;");
                default -> out.append(c);
            }
        }
        return out.toString();
    }

    /**
     * A complete HTML5 document.
     *
     * @param title    plain text, escaped here
     * @param bodyHtml markup, already escaped by the caller
     */
    static String page(String title, String bodyHtml) {
        return "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
                + "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
                + "<title>" + escape(title) + "</title>\n<style>\n" + CSS + "</style>\n</head>\n<body>\n"
                + "<h1>" + escape(title) + "</h1>\n" + bodyHtml + "</body>\n</html>\n";
    }

    private static String loadCss() {
        try (InputStream in = Html.class.getResourceAsStream("files/style.css")) {
            if (in == null) {
                throw new IllegalStateException("resource 'org/wsgi4j/sample/files/style.css' is missing");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read 'org/wsgi4j/sample/files/style.css'", e);
        }
    }
}
