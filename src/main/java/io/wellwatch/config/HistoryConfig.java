package io.wellwatch.config;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * The history store (HistoryRead of the server).
 *
 * @param enabled         record history at all, default true
 * @param jdbcUrl         database, default {@code jdbc:sqlite:state/history.db}; any JDBC URL whose driver is on
 *                        the class path and which accepts the same schema (e.g. {@code jdbc:postgresql://host/db})
 * @param user            database user, default none (SQLite needs none)
 * @param password        database password, default none
 * @param retentionDays   rows older than this are deleted, default 30
 * @param queueCapacity   rows waiting for the writer; when full, new rows are dropped and counted, default 10000
 * @param batchSize       rows per transaction, default 500
 * @param flushIntervalMs longest a row waits before it is written, default 1000
 */
public record HistoryConfig(boolean enabled, String jdbcUrl, String user, String password, int retentionDays,
                            int queueCapacity, int batchSize, long flushIntervalMs) {

    public static final HistoryConfig DEFAULT =
            new HistoryConfig(true, "jdbc:sqlite:state/history.db", "", "", 30, 10_000, 500, 1000);

    @JsonCreator
    public static HistoryConfig of(
            @JsonProperty("enabled") Boolean enabled,
            @JsonProperty("jdbcUrl") String jdbcUrl,
            @JsonProperty("user") String user,
            @JsonProperty("password") String password,
            @JsonProperty("retentionDays") Integer retentionDays,
            @JsonProperty("queueCapacity") Integer queueCapacity,
            @JsonProperty("batchSize") Integer batchSize,
            @JsonProperty("flushIntervalMs") Long flushIntervalMs) {
        return new HistoryConfig(
                enabled == null ? DEFAULT.enabled : enabled,
                jdbcUrl == null ? DEFAULT.jdbcUrl : jdbcUrl,
                user == null ? DEFAULT.user : user,
                password == null ? DEFAULT.password : password,
                retentionDays == null ? DEFAULT.retentionDays : retentionDays,
                queueCapacity == null ? DEFAULT.queueCapacity : queueCapacity,
                batchSize == null ? DEFAULT.batchSize : batchSize,
                flushIntervalMs == null ? DEFAULT.flushIntervalMs : flushIntervalMs);
    }

    /** The defaults with another JDBC URL. */
    public static HistoryConfig at(String jdbcUrl) {
        return of(null, jdbcUrl, null, null, null, null, null, null);
    }

    @Override
    public String toString() {
        return "HistoryConfig[enabled=" + enabled + ", jdbcUrl=" + jdbcUrl + ", user=" + user
                + ", retentionDays=" + retentionDays + ", queueCapacity=" + queueCapacity + ", batchSize=" + batchSize
                + ", flushIntervalMs=" + flushIntervalMs + "]";
    }
}
