package io.wellwatch.config;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;

import java.io.UncheckedIOException;

/**
 * Detector settings for tests, written as the {@code detector:} section of a config file, so a
 * test names the settings it changes and every other one keeps its default (a new setting changes
 * no test).
 */
public final class DetectorSettings {

    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

    private DetectorSettings() {
    }

    /** E.g. {@code of("{windowSize: 80, epochs: 3, seed: 7}")}. */
    public static DetectorConfig of(String yamlMapping) {
        try {
            return YAML.readValue(yamlMapping, DetectorConfig.class);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }
}
