package io.wellwatch.core;

/** State of one sample; the ordinal is the value of DataStateEnumeration in the information model. */
public enum DataState {
    /** Valid and explained by the model (or no model yet): may enter the training window. */
    NORMAL,
    /** Valid but the loss is above tolerance: scored, never trained on. */
    ANALYZING,
    /** Bad quality, missing, stale, non-finite or implausible: counted, never scored or trained on. */
    INVALID
}
