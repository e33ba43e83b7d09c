package io.wellwatch.history;

import java.time.Instant;

/**
 * How the history store is doing, as plant IT and the server's {@code WellWatch/History} object see it.
 *
 * @param recording           a store is open and accepting rows
 * @param healthy             recording, and no row lost since the latest successful write
 * @param database            the JDBC URL without its query (which may hold credentials)
 * @param rowsWritten         rows written since the start
 * @param rowsDropped         rows lost since the start: queue full, store closed, or their batch failed
 * @param writeFailures       batches that could not be written since the start
 * @param queueDepth          rows waiting for the writer
 * @param lastWriteError      the latest write problem, empty if none
 * @param lastSuccessfulWrite when a batch was last written, null if never
 */
public record HistoryHealth(boolean recording, boolean healthy, String database, long rowsWritten, long rowsDropped,
                            long writeFailures, int queueDepth, String lastWriteError, Instant lastSuccessfulWrite) {

    /** No store: history is disabled, or its database could not be opened ({@code why}). */
    public static HistoryHealth notRecording(String database, String why) {
        return new HistoryHealth(false, false, database == null ? "" : withoutQuery(database), 0, 0, 0, 0,
                why == null ? "" : why, null);
    }

    /** A JDBC URL without its {@code ?...} part, where drivers take user and password. */
    public static String withoutQuery(String jdbcUrl) {
        int q = jdbcUrl.indexOf('?');
        return q < 0 ? jdbcUrl : jdbcUrl.substring(0, q);
    }
}
