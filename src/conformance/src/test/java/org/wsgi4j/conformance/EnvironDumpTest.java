package org.wsgi4j.conformance;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.ByteArrayInputStream;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.wsgi4j.Application;
import org.wsgi4j.Applications;
import org.wsgi4j.FileWrapper;

/** The probes' environ format survives any character, and the probes load the ways hosts load them. */
class EnvironDumpTest {

    @Test
    @DisplayName("every character survives the dump: controls, spaces, '%', latin-1 and beyond")
    void everyCharacterSurvivesTheDump() {
        StringBuilder all = new StringBuilder();
        for (char c = 0; c < 0x180; c++) {
            all.append(c);
        }
        all.append("\u20ac\uD83D\uDE00");
        Map<String, Object> environ = new HashMap<>();
        environ.put("PATH_INFO", all.toString());
        environ.put("EMPTY", "");
        environ.put("KEY WITH SPACE=", "v");
        String text = EnvironDump.format(environ);
        assertFalse(text.replace("\n", "").contains("\r"), text);
        assertEquals(Map.of("PATH_INFO", new EnvironDump.Entry("String", all.toString()),
                "EMPTY", new EnvironDump.Entry("String", ""),
                "KEY WITH SPACE=", new EnvironDump.Entry("String", "v")), EnvironDump.parse(text));
    }

    @Test
    @DisplayName("non-string values are reported by their contract type")
    void nonStringValuesAreReportedByContractType() {
        Map<String, Object> environ = Map.of("v", List.of(1, 0), "b", Boolean.TRUE,
                "in", new ByteArrayInputStream(new byte[0]), "fw", FileWrapper.DEFAULT, "o", new Object());
        assertEquals(Map.of("v", new EnvironDump.Entry("List", "[1, 0]"), "b", new EnvironDump.Entry("Boolean", "true"),
                "in", new EnvironDump.Entry("InputStream", "-"), "fw", new EnvironDump.Entry("FileWrapper", "-"),
                "o", new EnvironDump.Entry("java.lang.Object", "-")), EnvironDump.parse(EnvironDump.format(environ)));
    }

    @Test
    @DisplayName("a line that is not 'KEY TYPE VALUE' is refused, naming the line")
    void malformedLineIsRefused() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> EnvironDump.parse("A B\n"));
        assertEquals("environ line 'A B' is not 'KEY TYPE VALUE'", e.getMessage());
    }

    @Test
    @DisplayName("the probes load as a class and as a factory method spec")
    void probesLoadAsClassAndFactorySpec() {
        for (String spec : List.of("org.wsgi4j.conformance.Probes", "org.wsgi4j.conformance.Probes::application")) {
            Application application = Applications.load(spec);
            assertEquals(Probes.class, application.getClass(), spec);
        }
    }
}
