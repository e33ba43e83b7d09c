package io.wellwatch.core;

/** Quality of one upstream reading, reduced to what the detector needs to know. */
public enum Quality {
    GOOD, UNCERTAIN, BAD
}
