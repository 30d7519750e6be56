package org.wsgi4j.spring;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.groups.Tuple.tuple;

import jakarta.servlet.Servlet;
import java.io.InputStream;
import java.util.List;
import java.util.Properties;
import org.assertj.core.api.AbstractThrowableAssert;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.boot.diagnostics.FailureAnalyzer;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.assertj.AssertableWebApplicationContext;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.test.context.runner.WebApplicationContextRunner;
import org.springframework.boot.web.servlet.ServletRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.wsgi4j.Application;
import org.wsgi4j.Bodies;
import org.wsgi4j.servlet.GatewayServlet;
import org.wsgi4j.servlet.Mount;

/** The auto-configuration's behaviour, on a servlet web application context without a server. */
class Wsgi4jAutoConfigurationTests {

    private final WebApplicationContextRunner runner = new WebApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(Wsgi4jAutoConfiguration.class));

    @Test
    void mountsEveryAnnotatedApplication() {
        runner.withUserConfiguration(AnnotatedBeans.class).run(context -> {
            assertThat(context).hasNotFailed();
            assertThat(context.getBean(Wsgi4jMounts.class).list())
                    .extracting(Wsgi4jMount::name, Wsgi4jMount::path, Wsgi4jMount::servletMapping)
                    .containsExactlyInAnyOrder(
                            tuple("onMethod", "/method", "/method/*"),
                            tuple("onClass", "/class", "/class/*"),
                            tuple("atRoot", "/", "/"));
            assertThat(context.getBean(Wsgi4jServletRegistrations.class).registrations())
                    .extracting(ServletRegistrationBean::getServletName, registration -> List.copyOf(registration.getUrlMappings()))
                    .contains(tuple("wsgi4j:onMethod", List.of("/method/*")),
                            tuple("wsgi4j:atRoot", List.of("/")));
        });
    }

    @Test
    void servesTheBeanSpringMade() {
        runner.withUserConfiguration(AnnotatedBeans.class).run(context -> {
            Wsgi4jMount mount = context.getBean(Wsgi4jMounts.class).find("onClass").orElseThrow();
            assertThat(mount.application()).isSameAs(context.getBean("onClass"));
            assertThat(mount.declaredBy()).isEqualTo("@Mount(\"/class\") on bean 'onClass'");
        });
    }

    @Test
    void mountsAnAnnotatedClassBehindAPlainApplicationBeanMethod() {
        runner.withUserConfiguration(PlainReturnType.class).run(context -> assertThat(context.getBean(Wsgi4jMounts.class)
                .find("declaredAsApplication")).hasValueSatisfying(mount -> assertThat(mount.path()).isEqualTo("/class")));
    }

    @Test
    void leavesApplicationsWithoutMountAlone() {
        runner.withBean("plain", Application.class, () -> hello("plain")).run(context -> {
            assertThat(context).hasNotFailed();
            assertThat(context.getBean(Wsgi4jMounts.class).list()).isEmpty();
        });
    }

    @Test
    void mountsDeclaredInProperties() {
        runner.withBean("plain", Application.class, () -> hello("plain"))
                .withPropertyValues("wsgi4j.mounts.byBean.path=/by-bean", "wsgi4j.mounts.byBean.bean=plain",
                        "wsgi4j.mounts.bySpec.path=/by-spec",
                        "wsgi4j.mounts.bySpec.application=" + SpecApplication.class.getName())
                .run(context -> {
                    Wsgi4jMounts mounts = context.getBean(Wsgi4jMounts.class);
                    assertThat(mounts.find("byBean").orElseThrow().application()).isSameAs(context.getBean("plain"));
                    assertThat(mounts.find("bySpec").orElseThrow().application()).isInstanceOf(SpecApplication.class);
                    assertThat(mounts.find("bySpec").orElseThrow().path()).isEqualTo("/by-spec");
                });
    }

    @Test
    void propertyCanDisableTheBridge() {
        runner.withUserConfiguration(AnnotatedBeans.class).withPropertyValues("wsgi4j.enabled=false")
                .run(context -> assertThat(context).hasNotFailed()
                        .doesNotHaveBean(Wsgi4jMounts.class)
                        .doesNotHaveBean(Wsgi4jServletRegistrations.class));
    }

    @Test
    void backsOffWithoutTheServletApi() {
        runner.withUserConfiguration(AnnotatedBeans.class).withClassLoader(new FilteredClassLoader(Servlet.class))
                .run(context -> assertThat(context).doesNotHaveBean(Wsgi4jMounts.class));
    }

    @Test
    void backsOffWithoutTheServletBridge() {
        runner.withUserConfiguration(AnnotatedBeans.class).withClassLoader(new FilteredClassLoader(GatewayServlet.class))
                .run(context -> assertThat(context).doesNotHaveBean(Wsgi4jMounts.class));
    }

    @Test
    void backsOffOutsideAServletWebApplication() {
        new ApplicationContextRunner().withConfiguration(AutoConfigurations.of(Wsgi4jAutoConfiguration.class))
                .withUserConfiguration(AnnotatedBeans.class)
                .run(context -> assertThat(context).hasNotFailed().doesNotHaveBean(Wsgi4jMounts.class));
    }

    @Test
    void userRegistrationWins() {
        ServletRegistrationBean<GatewayServlet> own = new ServletRegistrationBean<>(new GatewayServlet(hello("own")), "/method/*");
        runner.withUserConfiguration(AnnotatedBeans.class).withBean("ownRegistration", ServletRegistrationBean.class, () -> own)
                .run(context -> {
                    assertThat(context).hasNotFailed();
                    assertThat(context.getBean(Wsgi4jMounts.class).find("onMethod")).isEmpty();
                    assertThat(context.getBean(Wsgi4jMounts.class).find("onClass")).isPresent();
                });
    }

    @Test
    void customizersChangeEveryRegistration() {
        runner.withUserConfiguration(AnnotatedBeans.class)
                .withBean(Wsgi4jRegistrationCustomizer.class,
                        () -> (mount, registration) -> registration.addInitParameter("mount", mount.name()))
                .run(context -> assertThat(context.getBean(Wsgi4jServletRegistrations.class).registrations())
                        .allSatisfy(registration -> assertThat(registration.getInitParameters().get("mount"))
                                .isEqualTo(registration.getServletName().substring("wsgi4j:".length()))));
    }

    @Test
    void debugPropertyReachesEveryServlet() {
        runner.withUserConfiguration(AnnotatedBeans.class).withPropertyValues("wsgi4j.debug=true")
                .run(context -> assertThat(context.getBean(Wsgi4jServletRegistrations.class).registrations())
                        .allSatisfy(registration -> assertThat(registration.getInitParameters())
                                .containsEntry(GatewayServlet.DEBUG_PARAM, "true")));
    }

    @Test
    void debugIsOffByDefault() {
        runner.withUserConfiguration(AnnotatedBeans.class)
                .run(context -> assertThat(context.getBean(Wsgi4jServletRegistrations.class).registrations())
                        .allSatisfy(registration -> assertThat(registration.getInitParameters())
                                .containsEntry(GatewayServlet.DEBUG_PARAM, "false")));
    }

    /** {@code wsgi4j.harakiri}, {@code wsgi4j.limit-post}, {@code wsgi4j.trusted-proxies}: init parameters of every mount. */
    @Nested
    class BridgeSettings {

        @Test
        void harakiriPropertyReachesEveryRegistration() {
            runner.withUserConfiguration(AnnotatedBeans.class).withPropertyValues("wsgi4j.harakiri=30s")
                    .run(context -> assertThat(context.getBean(Wsgi4jServletRegistrations.class).registrations())
                            .hasSize(3).allSatisfy(registration -> assertThat(registration.getInitParameters())
                                    .containsEntry(GatewayServlet.HARAKIRI_PARAM, "30")));
        }

        @ParameterizedTest
        @CsvSource({"1500ms, 1.5", "2m, 120", "1ms, 0.001"})
        void harakiriBecomesSecondsAsTheBridgeReadsThem(String property, String seconds) {
            runner.withUserConfiguration(AnnotatedBeans.class).withPropertyValues("wsgi4j.harakiri=" + property)
                    .run(context -> assertThat(context.getBean(Wsgi4jServletRegistrations.class).registrations())
                            .allSatisfy(registration -> assertThat(registration.getInitParameters())
                                    .containsEntry(GatewayServlet.HARAKIRI_PARAM, seconds)));
        }

        @ParameterizedTest
        @CsvSource({"64MB, 67108864", "1KB, 1024", "0B, 0", "100, 100"})
        void limitPostPropertyBecomesTheInitParameter(String property, String bytes) {
            runner.withUserConfiguration(AnnotatedBeans.class).withPropertyValues("wsgi4j.limit-post=" + property)
                    .run(context -> assertThat(context.getBean(Wsgi4jServletRegistrations.class).registrations())
                            .hasSize(3).allSatisfy(registration -> assertThat(registration.getInitParameters())
                                    .containsEntry(GatewayServlet.LIMIT_POST_PARAM, bytes)));
        }

        @Test
        void trustedProxiesBecomeOneCommaSeparatedInitParameter() {
            runner.withUserConfiguration(AnnotatedBeans.class)
                    .withPropertyValues("wsgi4j.trusted-proxies[0]=10.0.0.0/8", "wsgi4j.trusted-proxies[1]=::1")
                    .run(context -> assertThat(context.getBean(Wsgi4jServletRegistrations.class).registrations())
                            .hasSize(3).allSatisfy(registration -> assertThat(registration.getInitParameters())
                                    .containsEntry(GatewayServlet.TRUSTED_PROXY_PARAM, "10.0.0.0/8,::1")));
        }

        @Test
        void emptyTrustedProxiesTrustNobody() {
            runner.withUserConfiguration(AnnotatedBeans.class).withPropertyValues("wsgi4j.trusted-proxies=")
                    .run(context -> assertThat(context.getBean(Wsgi4jServletRegistrations.class).registrations())
                            .allSatisfy(registration -> assertThat(registration.getInitParameters())
                                    .containsEntry(GatewayServlet.TRUSTED_PROXY_PARAM, "")));
        }

        @Test
        void unsetSettingsLeaveTheBridgeDefaults() {
            runner.withUserConfiguration(AnnotatedBeans.class)
                    .run(context -> assertThat(context.getBean(Wsgi4jServletRegistrations.class).registrations())
                            .allSatisfy(registration -> assertThat(registration.getInitParameters()).doesNotContainKeys(
                                    GatewayServlet.HARAKIRI_PARAM, GatewayServlet.LIMIT_POST_PARAM,
                                    GatewayServlet.TRUSTED_PROXY_PARAM)));
        }

        @ParameterizedTest
        @CsvSource(delimiter = '|', value = {
                "wsgi4j.harakiri=0s | wsgi4j: wsgi4j.harakiri is PT0S, below the bridge's 1 ms resolution",
                "wsgi4j.harakiri=-5s | wsgi4j: wsgi4j.harakiri is PT-5S, below the bridge's 1 ms resolution",
                "wsgi4j.limit-post=-1B | wsgi4j: wsgi4j.limit-post is negative (-1B)",
                "wsgi4j.trusted-proxies=10.0.0.0/99 | wsgi4j: wsgi4j.trusted-proxies: "})
        void aValueTheBridgeCannotServeStopsTheStartNamingTheProperty(String property, String description) {
            runner.withUserConfiguration(AnnotatedBeans.class).withPropertyValues(property).run(context -> {
                FailureAnalysis analysis = new Wsgi4jMountFailureAnalyzer().analyze(context.getStartupFailure());
                assertThat(analysis).isNotNull();
                assertThat(analysis.getDescription()).startsWith(description);
                assertThat(analysis.getAction()).contains(property.substring(0, property.indexOf('=')));
            });
        }
    }

    /** Mistakes stop the start, with a message naming the beans and properties involved. */
    @Nested
    class Mistakes {

        @Test
        void bootReportsAMistakeWithWhatToChange() {
            runner.withUserConfiguration(AnnotatedBeans.class)
                    .withPropertyValues("wsgi4j.mounts.other.path=/class",
                            "wsgi4j.mounts.other.application=" + SpecApplication.class.getName())
                    .run(context -> {
                        FailureAnalysis analysis = new Wsgi4jMountFailureAnalyzer().analyze(context.getStartupFailure());
                        assertThat(analysis).isNotNull();
                        assertThat(analysis.getDescription()).startsWith("wsgi4j: two applications on path '/class'");
                        assertThat(analysis.getAction()).isEqualTo("Give each application its own path.");
                    });
        }

        @Test
        void failureAnalyzerIsRegisteredWithBoot() throws Exception {
            Properties factories = new Properties();
            try (InputStream in = OwnResources.open("META-INF/spring.factories")) {
                factories.load(in);
            }
            assertThat(factories.getProperty(FailureAnalyzer.class.getName()))
                    .isEqualTo(Wsgi4jMountFailureAnalyzer.class.getName());
        }

        @Test
        void pathMustBeginWithASlash() {
            runner.withUserConfiguration(NoLeadingSlash.class).run(context -> failure(context).hasMessageContaining("@Mount(\"api\") on bean 'api'").hasMessageContaining("M1"));
        }

        @ParameterizedTest
        @ValueSource(strings = {"api", "/api/", "", "/a*b"})
        void badPathInPropertiesStopsTheStart(String path) {
            runner.withPropertyValues("wsgi4j.mounts.x.path=" + path,
                            "wsgi4j.mounts.x.application=" + SpecApplication.class.getName())
                    .run(context -> failure(context).hasMessageContaining("wsgi4j.mounts.x"));
        }

        @Test
        void twoApplicationsOnOnePathFailNamingBoth() {
            runner.withUserConfiguration(AnnotatedBeans.class)
                    .withPropertyValues("wsgi4j.mounts.other.path=/class",
                            "wsgi4j.mounts.other.application=" + SpecApplication.class.getName())
                    .run(context -> failure(context)
                            .hasMessageContaining("two applications on path '/class'")
                            .hasMessageContaining("bean 'onClass'")
                            .hasMessageContaining("wsgi4j.mounts.other"));
        }

        @Test
        void twoMountsWithOneNameFailNamingBoth() {
            runner.withUserConfiguration(AnnotatedBeans.class)
                    .withPropertyValues("wsgi4j.mounts.onClass.path=/elsewhere",
                            "wsgi4j.mounts.onClass.application=" + SpecApplication.class.getName())
                    .run(context -> failure(context)
                            .hasMessageContaining("two mounts named 'onClass'")
                            .hasMessageContaining("bean 'onClass'")
                            .hasMessageContaining("wsgi4j.mounts.onClass"));
        }

        @Test
        void pathCollidingWithDispatcherServletFails() {
            runner.withConfiguration(AutoConfigurations.of(BootLine.dispatcherServletAutoConfiguration()))
                    .withUserConfiguration(AnnotatedBeans.class)
                    .run(context -> {
                        failure(context).hasMessageContaining("@Mount(\"/\") on bean 'atRoot'")
                                .hasMessageContaining("'dispatcherServletRegistration'");
                        assertThat(new Wsgi4jMountFailureAnalyzer().analyze(context.getStartupFailure()).getAction())
                                .contains("spring.mvc.servlet.path");
                    });
        }

        @Test
        void rootMountWorksOnceSpringMvcMovesAside() {
            runner.withConfiguration(AutoConfigurations.of(BootLine.dispatcherServletAutoConfiguration()))
                    .withUserConfiguration(AnnotatedBeans.class).withPropertyValues("spring.mvc.servlet.path=/mvc")
                    .run(context -> assertThat(context.getBean(Wsgi4jMounts.class).find("atRoot")).isPresent());
        }

        @Test
        void mountOnABeanThatIsNotAnApplicationFails() {
            runner.withUserConfiguration(NotAnApplication.class).run(context -> failure(context).hasMessageContaining("@Mount(\"/text\") on bean 'text'")
                    .hasMessageContaining("not an org.wsgi4j.Application"));
        }

        @Test
        void propertyMountNeedsAPath() {
            runner.withPropertyValues("wsgi4j.mounts.x.application=" + SpecApplication.class.getName())
                    .run(context -> failure(context)
                            .hasMessageContaining("wsgi4j.mounts.x.path is not set"));
        }

        @Test
        void propertyMountTakesABeanOrASpecNotBoth() {
            runner.withBean("plain", Application.class, () -> hello("plain"))
                    .withPropertyValues("wsgi4j.mounts.x.path=/x", "wsgi4j.mounts.x.bean=plain",
                            "wsgi4j.mounts.x.application=" + SpecApplication.class.getName())
                    .run(context -> failure(context)
                            .hasMessageContaining("exactly one of wsgi4j.mounts.x.bean and wsgi4j.mounts.x.application, not both"));
        }

        @Test
        void propertyMountTakesABeanOrASpec() {
            runner.withPropertyValues("wsgi4j.mounts.x.path=/x").run(context -> failure(context).hasMessageContaining("exactly one of wsgi4j.mounts.x.bean and wsgi4j.mounts.x.application"));
        }

        @Test
        void propertyMountNamingAMissingBeanFails() {
            runner.withPropertyValues("wsgi4j.mounts.x.path=/x", "wsgi4j.mounts.x.bean=nowhere")
                    .run(context -> failure(context)
                            .hasMessageContaining("wsgi4j.mounts.x.bean: there is no bean named 'nowhere'"));
        }

        @Test
        void propertyMountNamingABeanThatIsNotAnApplicationFails() {
            runner.withBean("text", String.class, () -> "not an application")
                    .withPropertyValues("wsgi4j.mounts.x.path=/x", "wsgi4j.mounts.x.bean=text")
                    .run(context -> failure(context)
                            .hasMessageContaining("wsgi4j.mounts.x.bean: bean 'text' is a java.lang.String"));
        }

        @Test
        void propertyMountWithASpecThatCannotBeLoadedFails() {
            runner.withPropertyValues("wsgi4j.mounts.x.path=/x", "wsgi4j.mounts.x.application=com.example.Missing")
                    .run(context -> failure(context)
                            .hasMessageContaining("wsgi4j.mounts.x.application")
                            .hasMessageContaining("com.example.Missing"));
        }
    }

    /** The start failure the auto-configuration raised, wherever Spring wrapped it. */
    static AbstractThrowableAssert<?, ? extends Throwable> failure(AssertableWebApplicationContext context) {
        assertThat(context).hasFailed();
        for (Throwable t = context.getStartupFailure(); t != null; t = t.getCause()) {
            if (t instanceof Wsgi4jMountException) {
                return assertThat(t).hasMessageStartingWith("wsgi4j: ");
            }
        }
        throw new AssertionError("no Wsgi4jMountException in the chain", context.getStartupFailure());
    }

    static Application hello(String name) {
        return (environ, startResponse) -> {
            startResponse.start("200 OK", List.of());
            return Bodies.utf8(name);
        };
    }

    @Mount("/class")
    public static class ClassMounted implements Application {
        @Override
        public Iterable<byte[]> call(java.util.Map<String, Object> environ, org.wsgi4j.StartResponse startResponse) {
            startResponse.start("200 OK", List.of());
            return Bodies.utf8("class");
        }
    }

    public static class SpecApplication extends ClassMounted {
    }

    @Configuration(proxyBeanMethods = false)
    static class AnnotatedBeans {

        @Bean
        @Mount("/method")
        Application onMethod() {
            return hello("method");
        }

        @Bean
        ClassMounted onClass() {
            return new ClassMounted();
        }

        @Bean
        @Mount("/")
        Application atRoot() {
            return hello("root");
        }
    }

    @Configuration(proxyBeanMethods = false)
    static class PlainReturnType {

        @Bean
        Application declaredAsApplication() {
            return new ClassMounted();
        }
    }

    @Configuration(proxyBeanMethods = false)
    static class NoLeadingSlash {

        @Bean
        @Mount("api")
        Application api() {
            return hello("api");
        }
    }

    @Configuration(proxyBeanMethods = false)
    static class NotAnApplication {

        @Bean
        @Mount("/text")
        String text() {
            return "not an application";
        }
    }
}
