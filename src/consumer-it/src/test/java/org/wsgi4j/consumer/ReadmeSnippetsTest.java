package org.wsgi4j.consumer;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * The user project src/it/embedded-server runs the README's code, so the README's code must be what
 * that project holds: a snippet edited in one place and not the other fails here.
 */
class ReadmeSnippetsTest {

    private static final Path ROOT = Path.of(System.getProperty("wsgi4j.root", "../.."));
    private static final Path PROJECT = Path.of("src/it/embedded-server/src/main/java/com/example");

    @Test
    @DisplayName("the README's first example is the project's Hello.java")
    void helloIsTheReadmeExample() throws IOException {
        List<String> example = javaBlocks().get(0);
        List<String> hello = Files.readAllLines(PROJECT.resolve("Hello.java"));

        assertEquals(example, hello.subList(hello.indexOf(example.get(0)), hello.size()));
    }

    @Test
    @DisplayName("the README's builder snippet is the project's Main.start, port aside")
    void builderIsTheReadmeSnippet() throws IOException {
        List<String> snippet = javaBlocks().stream()
                .filter(block -> block.stream().anyMatch(line -> line.contains("Wsgi4jServer.builder()")))
                .findFirst().orElseThrow();
        List<String> statement = snippet.subList(indexOfPrefix(snippet, "Wsgi4jServer server"), snippet.size());
        List<String> main = Files.readAllLines(PROJECT.resolve("Main.java")).stream()
                .map(line -> line.replace(".http(port)", ".http(8080)").replaceFirst("^        ", ""))
                .toList();

        int start = indexOfPrefix(main, "Wsgi4jServer server");
        assertEquals(statement, main.subList(start, start + statement.size()));
    }

    private static int indexOfPrefix(List<String> lines, String prefix) {
        for (int i = 0; i < lines.size(); i++) {
            if (lines.get(i).startsWith(prefix)) {
                return i;
            }
        }
        throw new AssertionError("no line starts with '" + prefix + "' in " + lines);
    }

    private static List<List<String>> javaBlocks() throws IOException {
        List<List<String>> blocks = new ArrayList<>();
        List<String> current = null;
        for (String line : Files.readAllLines(ROOT.resolve("README.md"))) {
            if (current == null && line.equals("```java")) {
                current = new ArrayList<>();
            } else if (current != null && line.equals("```")) {
                blocks.add(current);
                current = null;
            } else if (current != null) {
                current.add(line);
            }
        }
        return blocks;
    }
}
