package org.wsgi4j.jetty;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.eclipse.jetty.server.HttpConfiguration;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The settings table: one row drives the flag, the variable, the file key, the help and the README. */
class SettingsTest {

    private static Settings read(Map<String, String> environment, String... args) throws Exception {
        return SettingSources.read(args, environment).settings();
    }

    private static Path file(String name, String text) throws Exception {
        Path file = Files.createDirectories(Path.of("target", "settings-test")).resolve(name);
        Files.writeString(file, text);
        return file;
    }

    @Nested
    @DisplayName("names")
    class Names {

        @Test
        void environmentVariableIsTheFlagUpperCasedWithUnderscores() {
            assertEquals("WSGI4J_GRACEFUL_TIMEOUT", Settings.GRACEFUL_TIMEOUT.environmentVariable());
            assertEquals("WSGI4J_CHMOD_SOCKET", Settings.CHMOD_SOCKET.environmentVariable());
            assertEquals("WSGI4J_HTTP", Settings.HTTP.environmentVariable());
        }

        @Test
        void everyNameIsUniqueAcrossFlagsAndAliases() {
            List<String> names = new java.util.ArrayList<>();
            for (Setting<?> setting : Settings.ALL) {
                names.add(setting.flag());
                names.addAll(setting.aliases());
            }
            assertEquals(names.size(), new java.util.HashSet<>(names).size(), names.toString());
        }

        @Test
        void requestTimeoutIsAnAliasOfHarakiri() throws Exception {
            assertEquals(Optional.of(Duration.ofSeconds(7)),
                    read(Map.of(), "--request-timeout", "7").get(Settings.HARAKIRI));
        }
    }

    @Nested
    @DisplayName("precedence: flag > environment > file > default")
    class Precedence {

        @Test
        void theDefaultAppliesWhenNothingSetsIt() throws Exception {
            assertEquals(200, read(Map.of()).get(Settings.THREADS));
        }

        @Test
        void theFileBeatsTheDefault() throws Exception {
            Path file = file("threads.properties", "threads = 8\n");
            assertEquals(8, read(Map.of(), "--config", file.toString()).get(Settings.THREADS));
        }

        @Test
        void theEnvironmentBeatsTheFile() throws Exception {
            Path file = file("threads.properties", "threads = 8\n");
            assertEquals(9, read(Map.of("WSGI4J_THREADS", "9"), "--config", file.toString()).get(Settings.THREADS));
        }

        @Test
        void aFlagBeatsTheEnvironment() throws Exception {
            assertEquals(10, read(Map.of("WSGI4J_THREADS", "9"), "--threads", "10").get(Settings.THREADS));
        }

        @Test
        void theConfigFileMayBeNamedInTheEnvironment() throws Exception {
            Path file = file("env.properties", "graceful-timeout = 3\n");
            assertEquals(Duration.ofSeconds(3),
                    read(Map.of("WSGI4J_CONFIG", file.toString())).get(Settings.GRACEFUL_TIMEOUT));
        }

        @Test
        void aRepeatedFlagAddsUpAndReplacesTheWeakerSourceWhole() throws Exception {
            Settings settings = read(Map.of("WSGI4J_TRUSTED_PROXY", "10.0.0.0/8"),
                    "--trusted-proxy", "127.0.0.1", "--trusted-proxy=::1,192.168.0.0/16");
            assertEquals(List.of("127.0.0.1", "::1", "192.168.0.0/16"), settings.get(Settings.TRUSTED_PROXY));
        }

        @Test
        void theConfigSettingIsNotReadFromTheFile() throws Exception {
            Path file = file("self.properties", "config = other.properties\n");
            SettingSources.UsageException e = assertThrows(SettingSources.UsageException.class,
                    () -> read(Map.of(), "--config", file.toString()));
            assertTrue(e.getMessage().contains("'config' is read from the command line or the environment only"),
                    e.getMessage());
        }
    }

    @Nested
    @DisplayName("switches")
    class Switches {

        @Test
        void aSwitchIsOnWhenGivenAndOffWithNo() throws Exception {
            assertTrue(read(Map.of(), "--debug").get(Settings.DEBUG));
            assertFalse(read(Map.of("WSGI4J_DEBUG", "true"), "--no-debug").get(Settings.DEBUG));
            assertFalse(read(Map.of(), "--debug=false").get(Settings.DEBUG));
        }

        @Test
        void threadPolicyDefaultsToVirtualThreadsWhereTheJvmHasThem() throws Exception {
            assertEquals(Runtime.version().feature() >= 21, read(Map.of()).get(Settings.VIRTUAL_THREADS));
            assertFalse(read(Map.of(), "--no-virtual-threads").get(Settings.VIRTUAL_THREADS));
        }

        @Test
        void aSwitchRefusesAnythingButTrueOrFalse() {
            SettingSources.UsageException e = assertThrows(SettingSources.UsageException.class,
                    () -> read(Map.of("WSGI4J_DEBUG", "maybe")));
            assertEquals("WSGI4J_DEBUG=maybe: not true or false", e.getMessage());
        }
    }

    @Nested
    @DisplayName("values")
    class Values {

        @ParameterizedTest
        @CsvSource({"1024, 1024", "64k, 65536", "1m, 1048576", "2G, 2147483648"})
        void aSizeTakesABinarySuffix(String text, long bytes) throws Exception {
            assertEquals(bytes, read(Map.of(), "--limit-post", text).get(Settings.LIMIT_POST));
        }

        @ParameterizedTest
        @CsvSource({"0, 0", "65535, 65535", "1k, 1024"})
        void headerCacheSizeTakesZeroToItsCeiling(String text, int bytes) throws Exception {
            assertEquals(bytes, read(Map.of(), "--header-cache-size", text).get(Settings.HEADER_CACHE_SIZE));
        }

        @ParameterizedTest(name = "{0} {1}: one under its floor, at it, at its ceiling, one over")
        @CsvSource(delimiter = '|', value = {
            "--input-buffer-size|4095|--input-buffer-size=4095: must be 4096 to 65536",
            "--input-buffer-size|4k|",
            "--input-buffer-size|64k|",
            "--input-buffer-size|65537|--input-buffer-size=65537: must be 4096 to 65536",
            "--input-buffer-size|8193|--input-buffer-size=8193: must be a multiple of 4096 (4k)",
            "--output-buffer-size|8191|--output-buffer-size=8191: must be 8192 to 65536",
            "--output-buffer-size|8k|",
            "--output-buffer-size|64k|",
            "--output-buffer-size|65537|--output-buffer-size=65537: must be 8192 to 65536",
            "--output-buffer-size|12287|--output-buffer-size=12287: must be a multiple of 4096 (4k)"})
        void bufferSizesAreWhatJettysPoolHandsOutAsAsked(String flag, String text, String refusal) throws Exception {
            if (refusal == null) {
                Settings settings = read(Map.of(), flag, text);
                Setting<Integer> setting = flag.equals("--input-buffer-size")
                        ? Settings.INPUT_BUFFER_SIZE : Settings.OUTPUT_BUFFER_SIZE;
                assertEquals(text.equals("64k") ? 65536 : Integer.parseInt(text.replace("k", "")) * 1024,
                        settings.get(setting));
            } else {
                SettingSources.UsageException e = assertThrows(SettingSources.UsageException.class,
                        () -> read(Map.of(), flag, text));
                assertEquals(refusal, e.getMessage());
            }
        }

        @Test
        void bufferSizesDefaultToJettysOwn() throws Exception {
            HttpConfiguration jetty = new HttpConfiguration();
            assertEquals(jetty.getInputBufferSize(), read(Map.of()).get(Settings.INPUT_BUFFER_SIZE));
            assertEquals(jetty.getOutputBufferSize(), read(Map.of()).get(Settings.OUTPUT_BUFFER_SIZE));
        }

        @Test
        void statsListensOnLoopbackWhenTheHostIsOmitted() throws Exception {
            assertEquals(Optional.of(new Settings.HostPort("127.0.0.1", 9191)),
                    read(Map.of(), "--stats", ":9191").get(Settings.STATS));
            assertEquals(Optional.of(new Settings.HostPort(null, 8080)),
                    read(Map.of(), "--http", ":8080").get(Settings.HTTP));
        }

        @Test
        void harakiriIsOffByDefaultAndTakesOff() throws Exception {
            assertEquals(Optional.empty(), read(Map.of()).get(Settings.HARAKIRI));
            assertEquals(Optional.empty(), read(Map.of(), "--harakiri", "off").get(Settings.HARAKIRI));
            assertEquals(Optional.of(Duration.ofMillis(2500)), read(Map.of(), "--harakiri", "2.5").get(Settings.HARAKIRI));
        }

        @Test
        void frontEndIsServletByDefaultAndTakesCore() throws Exception {
            assertEquals(Settings.FrontEnd.SERVLET, read(Map.of()).get(Settings.FRONT_END));
            assertEquals(Settings.FrontEnd.CORE, read(Map.of(), "--front-end", "core").get(Settings.FRONT_END));
            assertEquals(Settings.FrontEnd.CORE, read(Map.of("WSGI4J_FRONT_END", "core")).get(Settings.FRONT_END));
        }

        @Test
        void chmodSocketIsOctal() throws Exception {
            assertEquals(java.nio.file.attribute.PosixFilePermissions.fromString("rw-rw-rw-"),
                    read(Map.of("WSGI4J_CHMOD_SOCKET", "666")).get(Settings.CHMOD_SOCKET));
            assertEquals("660", Settings.CHMOD_SOCKET.defaultText());
        }

        @Test
        void chownSocketTakesAGroupAlone() throws Exception {
            assertEquals(Optional.of(new Settings.SocketOwner(Optional.empty(), Optional.of("www-data"))),
                    read(Map.of(), "--chown-socket", ":www-data").get(Settings.CHOWN_SOCKET));
        }

        @ParameterizedTest
        @CsvSource(delimiter = '|', value = {
            "--listen|0|--listen=0: must be 1 to 65535",
            "--buffer-size|65536|--buffer-size=65536: must be 1 to 65535",
            "--header-cache-size|65536|--header-cache-size=65536: must be 0 to 65535",
            "--header-cache-size|-1|--header-cache-size=-1: not a size in bytes",
            "--limit-post|-1|--limit-post=-1: not a size in bytes",
            "--graceful-timeout|soon|--graceful-timeout=soon: not a number of seconds",
            "--uwsgi|3031|--uwsgi=3031: must be [HOST]:PORT, e.g. :8080",
            "--uwsgi-allow|example.com|--uwsgi-allow=example.com: 'example.com' is not an IP address "
                    + "or CIDR block",
            "--chmod-socket|rw|--chmod-socket=rw: not an octal mode such as 660",
            "--https|:8443|--https=:8443: must be ADDRESS,CERT,KEY (PEM files) or ADDRESS,KEYSTORE.p12",
            "--front-end|ee10|--front-end=ee10: 'ee10' is not servlet or core",
        })
        void aBadValueNamesTheFlagAndTheValue(String flag, String value, String message) {
            SettingSources.UsageException e = assertThrows(SettingSources.UsageException.class,
                    () -> read(Map.of(), flag, value));
            assertEquals(message, e.getMessage());
        }

        @Test
        void theBuilderChecksAValueWithTheSameRuleNamingTheConstant() {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> Wsgi4jServer.builder().threads(1));
            assertEquals("Settings.THREADS: must be 2 to 100000", e.getMessage());
        }
    }

    @Test
    @DisplayName("the README's settings table is the one the code generates")
    void readmeHoldsTheGeneratedTable() throws Exception {
        String readme = Files.readString(Path.of("../../README.md"));
        String table = Settings.markdownTable();
        Path generated = Files.createDirectories(Path.of("target")).resolve("README-settings.md");
        Files.writeString(generated, table);
        assertTrue(readme.contains(table), "README.md's settings table differs from the code's; replace it with "
                + generated.toAbsolutePath());
    }
}
