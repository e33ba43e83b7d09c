package io.wellwatch.config;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * One upstream valve-state tag (1 = open, 0 = closed).
 *
 * @param name   short valve name used in the valve-state key, e.g. DHSV; required
 * @param nodeId upstream NodeId of the state tag; required
 */
public record ValveConfig(String name, String nodeId) {

    @JsonCreator
    public ValveConfig(
            @JsonProperty(value = "name", required = true) String name,
            @JsonProperty(value = "nodeId", required = true) String nodeId) {
        this.name = name;
        this.nodeId = nodeId;
    }
}
