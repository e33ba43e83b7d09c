package io.wellwatch.config;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * Where WellWatch keeps its state on disk.
 *
 * @param modelDir directory of the model store (every model version of every well), default state/models
 */
public record StorageConfig(String modelDir) {

    public static final StorageConfig DEFAULT = new StorageConfig("state/models");

    @JsonCreator
    public static StorageConfig of(@JsonProperty("modelDir") String modelDir) {
        return new StorageConfig(modelDir == null ? DEFAULT.modelDir : modelDir);
    }
}
