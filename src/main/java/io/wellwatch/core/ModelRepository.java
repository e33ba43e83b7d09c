package io.wellwatch.core;

import java.io.IOException;
import java.util.Map;

/** Persists every model version; implemented on disk by the model package. */
public interface ModelRepository {

    /** Persists a new version atomically: after a crash either the whole version is there or none of it. */
    void save(StoredModel model) throws IOException;

    /**
     * The newest loadable version of each valve state of a well, keyed by valve-state key. A damaged
     * or half-written version is skipped with a warning in favour of the previous one.
     */
    Map<String, StoredModel> loadLatest(String wellId);

    /** Highest version number present on disk for the key, loadable or not (0 if none): versions never repeat. */
    int latestVersion(String wellId, String valveState);
}
