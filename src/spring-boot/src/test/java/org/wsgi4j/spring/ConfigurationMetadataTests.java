package org.wsgi4j.spring;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.InputStream;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.boot.configurationmetadata.ConfigurationMetadataProperty;
import org.springframework.boot.configurationmetadata.ConfigurationMetadataRepositoryJsonBuilder;

/** The metadata that spring-boot-configuration-processor generated into the jar, as IDEs read it. */
class ConfigurationMetadataTests {

    @Test
    void everyPropertyHasADescription() throws Exception {
        Map<String, ConfigurationMetadataProperty> properties = properties();
        assertThat(properties).containsKeys("wsgi4j.enabled", "wsgi4j.debug", "wsgi4j.harakiri", "wsgi4j.limit-post",
                "wsgi4j.trusted-proxies", "wsgi4j.mounts");
        assertThat(properties.values()).allSatisfy(property -> assertThat(property.getDescription())
                .as(property.getId()).isNotBlank().doesNotContain("\n"));
    }

    @Test
    void everyPropertyIsUnderWsgi4j() throws Exception {
        assertThat(properties().keySet()).allSatisfy(name -> assertThat(name)
                .matches("wsgi4j\\.[a-z0-9-.]+|management\\.endpoint\\.wsgi4j\\..+"));
    }

    @Test
    void defaultsAreDocumented() throws Exception {
        Map<String, ConfigurationMetadataProperty> properties = properties();
        assertThat(properties.get("wsgi4j.enabled").getDefaultValue()).isEqualTo(true);
        assertThat(properties.get("wsgi4j.debug").getDefaultValue()).isEqualTo(false);
    }

    private static Map<String, ConfigurationMetadataProperty> properties() throws Exception {
        try (InputStream in = OwnResources.open("META-INF/spring-configuration-metadata.json")) {
            return ConfigurationMetadataRepositoryJsonBuilder.create(in).build().getAllProperties();
        }
    }
}
