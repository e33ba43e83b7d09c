package io.wellwatch.history;

import io.wellwatch.config.HistoryConfig;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Types;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Value and event history in a JDBC database: SQLite by default, or any database that accepts the
 * same plain schema (PostgreSQL). Times are epoch milliseconds.
 *
 * <p>Writes never block the caller: {@link #offer} puts the row into a bounded queue and returns;
 * one writer thread drains the queue in batches (one transaction per batch). When the queue is
 * full, or a batch cannot be written (database locked, disk full, server gone), the rows are
 * dropped and counted ({@link #droppedRows()}, {@link #health()}), with a WARN at most once a minute.
 * A connection that a failure left unusable (database server restarted) is opened again before the
 * next batch. Rows older than the retention are deleted by the writer thread once an hour.
 *
 * <p>Reads run on the caller's thread over their own connection.
 */
public final class HistoryStore implements AutoCloseable {

    private static final Logger LOG = LogManager.getLogger(HistoryStore.class);

    /** How the store's connections name themselves to a database server (PostgreSQL's pg_stat_activity). */
    public static final String APPLICATION_NAME = "wellwatch-history";
    private static final long WARN_EVERY_MS = 60_000;
    private static final long RETENTION_EVERY_MS = 3_600_000;
    /** How long the writer waits for a locked SQLite database before it gives the batch up. */
    private static final int SQLITE_BUSY_TIMEOUT_MS = 1000;

    private static final String[] SCHEMA = {
        "CREATE TABLE IF NOT EXISTS wh_series (id INTEGER NOT NULL PRIMARY KEY, well_id VARCHAR(64) NOT NULL,"
                + " variable VARCHAR(64) NOT NULL, UNIQUE (well_id, variable))",
        "CREATE TABLE IF NOT EXISTS wh_value (series_id INTEGER NOT NULL, t BIGINT NOT NULL,"
                + " v DOUBLE PRECISION, status BIGINT NOT NULL)",
        "CREATE INDEX IF NOT EXISTS wh_value_series_t ON wh_value (series_id, t)",
        "CREATE TABLE IF NOT EXISTS wh_event (well_id VARCHAR(64) NOT NULL, t BIGINT NOT NULL,"
                + " event_type VARCHAR(64) NOT NULL, severity INTEGER NOT NULL, message VARCHAR(1000),"
                + " model_version INTEGER, valve_state VARCHAR(200), tolerance DOUBLE PRECISION,"
                + " training_loss DOUBLE PRECISION, sample_count INTEGER)",
        "CREATE INDEX IF NOT EXISTS wh_event_well_t ON wh_event (well_id, t)",
    };

    private final HistoryConfig config;
    private final Clock clock;
    private final BlockingQueue<Object> queue;
    /** Null after a failure that broke it; the writer reopens it before the next batch. Guarded by writeLock. */
    private Connection writeConnection;
    private final Object writeLock = new Object();
    private final Object readLock = new Object();
    private Connection readConnection;
    /** (well, variable) to series id; written by the writer thread only. */
    private final Map<String, Integer> seriesIds = new ConcurrentHashMap<>();
    /** Batches failed since the last one written (writer thread, under writeLock). */
    private int failedInARow;
    private final Thread writer;
    private volatile boolean running = true;
    private volatile boolean urgent;

    private final AtomicLong accepted = new AtomicLong();
    private final AtomicLong written = new AtomicLong();
    private final AtomicLong dropped = new AtomicLong();
    private final AtomicLong failed = new AtomicLong();
    private final AtomicLong failedBatches = new AtomicLong();
    private volatile String lastProblem = "";
    /** System.nanoTime of the latest successful batch and of the latest lost row; 0 for never. */
    private volatile long lastWriteNanos;
    private volatile long lastLossNanos;
    private volatile Instant lastWriteTime;
    private long lastWarnMs;
    private long droppedAtLastWarn;
    private long lastRetentionMs;

    /**
     * Opens (creating if needed) the database and starts the writer thread. For SQLite file URLs the
     * parent directory is created.
     *
     * @throws SQLException if the database cannot be opened or the schema not created
     */
    public HistoryStore(HistoryConfig config, Clock clock) throws SQLException {
        this.config = Objects.requireNonNull(config, "config");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.queue = new ArrayBlockingQueue<>(config.queueCapacity());
        createSqliteParent(config.jdbcUrl());
        this.writeConnection = open();
        try {
            createSchema(writeConnection);
        } catch (SQLException e) {
            closeQuietly(writeConnection);
            throw e;
        }
        loadSeries();
        this.lastRetentionMs = clock.millis();
        this.writer = new Thread(this::writeLoop, "wellwatch-history-writer");
        writer.setDaemon(true);
        writer.start();
        LOG.info("History store {} (retention {} days)", HistoryHealth.withoutQuery(config.jdbcUrl()), config.retentionDays());
    }

    public HistoryConfig config() {
        return config;
    }

    private static void createSchema(Connection c) throws SQLException {
        try (Statement s = c.createStatement()) {
            for (String ddl : SCHEMA) {
                s.execute(ddl);
            }
            c.commit();
        }
    }

    // ---- Writing (never blocks) --------------------------------------------------------------

    /** Queues a value; false (and counted as dropped) if the queue is full or the store closed. */
    public boolean offer(ValueRecord value) {
        return enqueue(value);
    }

    /** Queues an event; false (and counted as dropped) if the queue is full or the store closed. */
    public boolean offer(EventRecord event) {
        return enqueue(event);
    }

    private boolean enqueue(Object row) {
        if (running && queue.offer(row)) {
            accepted.incrementAndGet();
            return true;
        }
        dropped.incrementAndGet();
        lastLossNanos = nowNanos();
        warnRateLimited(running ? "history queue full (" + config.queueCapacity() + " rows)" : "history store closed");
        return false;
    }

    /** Rows written to the database so far. */
    public long writtenRows() {
        return written.get();
    }

    /** Rows lost so far: queue full, store closed, or their batch failed to write. */
    public long droppedRows() {
        return dropped.get() + failed.get();
    }

    /** Batches that failed to write (database locked, full or unreachable); their rows are in {@link #droppedRows}. */
    public long writeFailures() {
        return failedBatches.get();
    }

    /** Rows waiting in the queue. */
    public int queuedRows() {
        return queue.size();
    }

    /** The last write problem, empty if none. */
    public String lastProblem() {
        return lastProblem;
    }

    /** Counters and state for the server's History object and the CLI status line. */
    public HistoryHealth health() {
        long lost = lastLossNanos;
        boolean healthy = running && (lost == 0 || lastWriteNanos - lost > 0);
        return new HistoryHealth(running, healthy, HistoryHealth.withoutQuery(config.jdbcUrl()), written.get(),
                droppedRows(), writeFailures(), queue.size(), lastProblem, lastWriteTime);
    }

    /**
     * Writes what is queued now and waits until it is written or given up.
     *
     * @return true if everything accepted so far was handled within the timeout
     */
    public boolean flush(Duration timeout) {
        long target = accepted.get();
        long deadline = System.nanoTime() + timeout.toNanos();
        urgent = true;
        while (written.get() + failed.get() < target) {
            if (System.nanoTime() > deadline || !writer.isAlive()) {
                return false;
            }
            try {
                Thread.sleep(2);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
            }
            urgent = true;
        }
        return true;
    }

    /** Deletes values and events older than the retention; returns the number of rows deleted. */
    public int applyRetention() throws SQLException {
        long cutoff = clock.millis() - TimeUnit.DAYS.toMillis(config.retentionDays());
        return deleteOlderThan(Instant.ofEpochMilli(cutoff));
    }

    /** Deletes values and events before {@code cutoff}; returns the number of rows deleted. */
    public int deleteOlderThan(Instant cutoff) throws SQLException {
        synchronized (writeLock) {
            int n = 0;
            long t = cutoff.toEpochMilli();
            reopenIfBroken();
            try {
                writeConnection.setAutoCommit(true);
                // Per series, so the (series_id, t) index serves the delete.
                try (PreparedStatement ps = writeConnection.prepareStatement("DELETE FROM wh_value WHERE series_id = ? AND t < ?")) {
                    for (int id : seriesIds.values()) {
                        ps.setInt(1, id);
                        ps.setLong(2, t);
                        n += ps.executeUpdate();
                    }
                }
                try (PreparedStatement ps = writeConnection.prepareStatement("DELETE FROM wh_event WHERE t < ?")) {
                    ps.setLong(1, t);
                    n += ps.executeUpdate();
                }
            } finally {
                writeConnection.setAutoCommit(false);
            }
            return n;
        }
    }

    private void writeLoop() {
        List<Object> batch = new ArrayList<>(config.batchSize());
        while (running || !queue.isEmpty()) {
            try {
                Object first = queue.poll(50, TimeUnit.MILLISECONDS);
                if (first != null) {
                    batch.add(first);
                    long deadline = System.currentTimeMillis() + config.flushIntervalMs();
                    while (batch.size() < config.batchSize() && running && !urgent
                            && System.currentTimeMillis() < deadline) {
                        queue.drainTo(batch, config.batchSize() - batch.size());
                        if (batch.size() < config.batchSize()) {
                            Object next = queue.poll(Math.min(50, Math.max(1, deadline - System.currentTimeMillis())),
                                    TimeUnit.MILLISECONDS);
                            if (next != null) {
                                batch.add(next);
                            }
                        }
                    }
                    queue.drainTo(batch, config.batchSize() - batch.size());
                    if (queue.isEmpty()) {
                        urgent = false;
                    }
                    writeBatch(batch);
                    batch.clear();
                }
                if (clock.millis() - lastRetentionMs >= RETENTION_EVERY_MS) {
                    lastRetentionMs = clock.millis();
                    int n = applyRetention();
                    LOG.debug("History retention deleted {} rows", n);
                }
            } catch (InterruptedException e) {
                if (!running) {
                    continue;
                }
                Thread.currentThread().interrupt();
                return;
            } catch (SQLException | RuntimeException e) {
                problem("history retention failed: " + e);
            }
        }
    }

    private void writeBatch(List<Object> batch) {
        synchronized (writeLock) {
            try {
                reopenIfBroken();
                writeConnection.setAutoCommit(false);
                try (PreparedStatement values = writeConnection.prepareStatement(
                        "INSERT INTO wh_value (series_id, t, v, status) VALUES (?, ?, ?, ?)");
                     PreparedStatement events = writeConnection.prepareStatement(
                             "INSERT INTO wh_event (well_id, t, event_type, severity, message, model_version,"
                                     + " valve_state, tolerance, training_loss, sample_count) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
                    int nValues = 0;
                    int nEvents = 0;
                    for (Object row : batch) {
                        if (row instanceof ValueRecord v) {
                            values.setInt(1, seriesId(v.wellId(), v.variable()));
                            values.setLong(2, v.sourceTime().toEpochMilli());
                            setDouble(values, 3, v.value());
                            values.setLong(4, v.status());
                            values.addBatch();
                            nValues++;
                        } else if (row instanceof EventRecord e) {
                            events.setString(1, e.wellId());
                            events.setLong(2, e.time().toEpochMilli());
                            events.setString(3, e.eventType());
                            events.setInt(4, e.severity());
                            events.setString(5, e.message());
                            setInt(events, 6, e.modelVersion());
                            events.setString(7, e.valveState());
                            setDouble(events, 8, e.tolerance());
                            setDouble(events, 9, e.trainingLoss());
                            setInt(events, 10, e.sampleCount());
                            events.addBatch();
                            nEvents++;
                        }
                    }
                    if (nValues > 0) {
                        values.executeBatch();
                    }
                    if (nEvents > 0) {
                        events.executeBatch();
                    }
                }
                writeConnection.commit();
                if (failedInARow > 0) {
                    LOG.info("History store {}: writing again after {} failed batch(es)",
                            HistoryHealth.withoutQuery(config.jdbcUrl()), failedInARow);
                    failedInARow = 0;
                }
                // State first, counters last: flush() returns on the counters.
                lastWriteTime = clock.instant();
                lastWriteNanos = nowNanos();
                written.addAndGet(batch.size());
            } catch (SQLException | RuntimeException e) {
                failedBatches.incrementAndGet();
                failedInARow++;
                lastLossNanos = nowNanos();
                problem("history batch of " + batch.size() + " rows dropped: " + e.getMessage());
                failed.addAndGet(batch.size());
                if (writeConnection == null) {
                    return; // could not reconnect; the next batch tries again
                }
                try {
                    writeConnection.rollback();
                } catch (SQLException ignored) {
                    // the batch is lost either way
                }
                // A fresh connection for the next batch. After some failures the driver's idea of the
                // transaction is wrong (SQLite rolls back by itself on a full disk, and the JDBC
                // connection then commits into "no transaction is active" forever); a database server
                // that restarted needs a new connection anyway. Series ids come back from the table.
                closeQuietly(writeConnection);
                writeConnection = null;
                seriesIds.clear();
            }
        }
    }

    /** Opens the write connection again after a failure broke it (schema and series ids come back). */
    private void reopenIfBroken() throws SQLException {
        if (writeConnection != null) {
            return;
        }
        Connection c = open();
        try {
            createSchema(c);
        } catch (SQLException e) {
            closeQuietly(c);
            throw e;
        }
        writeConnection = c;
        loadSeries();
        LOG.debug("History store {}: write connection opened again", HistoryHealth.withoutQuery(config.jdbcUrl()));
    }

    /** Never 0, so that 0 can stand for "never". */
    private static long nowNanos() {
        long t = System.nanoTime();
        return t == 0 ? 1 : t;
    }

    /**
     * The id of a series, created on first use. A cache miss asks the database, not the cache, for
     * the series and for the next free id: after a failed batch (disk full, a rollback the driver
     * could not report) the cache may hold less than the table, and an id taken from it would
     * collide with the table's forever.
     */
    private int seriesId(String wellId, String variable) throws SQLException {
        String key = wellId + '\u0000' + variable;
        Integer id = seriesIds.get(key);
        if (id != null) {
            return id;
        }
        try (PreparedStatement find = writeConnection.prepareStatement(
                "SELECT id FROM wh_series WHERE well_id = ? AND variable = ?")) {
            find.setString(1, wellId);
            find.setString(2, variable);
            try (ResultSet rs = find.executeQuery()) {
                if (rs.next()) {
                    seriesIds.put(key, rs.getInt(1));
                    return rs.getInt(1);
                }
            }
        }
        int next;
        try (Statement s = writeConnection.createStatement();
             ResultSet rs = s.executeQuery("SELECT COALESCE(MAX(id), 0) + 1 FROM wh_series")) {
            rs.next();
            next = rs.getInt(1);
        }
        try (PreparedStatement ps = writeConnection.prepareStatement(
                "INSERT INTO wh_series (id, well_id, variable) VALUES (?, ?, ?)")) {
            ps.setInt(1, next);
            ps.setString(2, wellId);
            ps.setString(3, variable);
            ps.executeUpdate();
        }
        seriesIds.put(key, next);
        return next;
    }

    private void loadSeries() throws SQLException {
        synchronized (writeLock) {
            Map<String, Integer> ids = new java.util.HashMap<>();
            try (Statement s = writeConnection.createStatement();
                 ResultSet rs = s.executeQuery("SELECT id, well_id, variable FROM wh_series")) {
                while (rs.next()) {
                    ids.put(rs.getString(2) + '\u0000' + rs.getString(3), rs.getInt(1));
                }
            }
            if (!writeConnection.getAutoCommit()) {
                writeConnection.commit();
            }
            seriesIds.keySet().retainAll(ids.keySet());
            seriesIds.putAll(ids);
        }
    }

    private void problem(String message) {
        lastProblem = message;
        warnRateLimited(message);
    }

    private synchronized void warnRateLimited(String message) {
        long now = System.currentTimeMillis();
        if (now - lastWarnMs >= WARN_EVERY_MS) {
            long lost = droppedRows();
            LOG.warn("{}; detection continues, {} history rows lost so far ({} since the last warning)",
                    message, lost, lost - droppedAtLastWarn);
            lastWarnMs = now;
            droppedAtLastWarn = lost;
        }
    }

    // ---- Reading ---------------------------------------------------------------------------------

    /**
     * Values of one variable with {@code from <= t < to} (or {@code to < t <= from}, newest first, when
     * {@code descending}), skipping {@code offset} rows, at most {@code limit}.
     */
    public List<ValueRecord> readValues(String wellId, String variable, Instant from, Instant to,
                                        boolean descending, int offset, int limit) throws SQLException {
        String range = descending ? "t <= ? AND t > ?" : "t >= ? AND t < ?";
        String order = descending ? "DESC" : "ASC";
        String sql = "SELECT v.t, v.v, v.status FROM wh_value v JOIN wh_series s ON s.id = v.series_id"
                + " WHERE s.well_id = ? AND s.variable = ? AND " + range
                + " ORDER BY v.t " + order + ", v.status " + order + ", v.v " + order + " LIMIT ? OFFSET ?";
        return queryValues(wellId, variable, sql, from.toEpochMilli(), to.toEpochMilli(), limit, offset);
    }

    /** The newest value at or before {@code t}. */
    public Optional<ValueRecord> valueAtOrBefore(String wellId, String variable, Instant t) throws SQLException {
        String sql = "SELECT v.t, v.v, v.status FROM wh_value v JOIN wh_series s ON s.id = v.series_id"
                + " WHERE s.well_id = ? AND s.variable = ? AND v.t <= ? AND 0 = ?"
                + " ORDER BY v.t DESC, v.status DESC, v.v DESC LIMIT ? OFFSET ?";
        return queryValues(wellId, variable, sql, t.toEpochMilli(), 0, 1, 0).stream().findFirst();
    }

    /** The oldest value at or after {@code t}. */
    public Optional<ValueRecord> valueAtOrAfter(String wellId, String variable, Instant t) throws SQLException {
        String sql = "SELECT v.t, v.v, v.status FROM wh_value v JOIN wh_series s ON s.id = v.series_id"
                + " WHERE s.well_id = ? AND s.variable = ? AND v.t >= ? AND 0 = ?"
                + " ORDER BY v.t ASC, v.status ASC, v.v ASC LIMIT ? OFFSET ?";
        return queryValues(wellId, variable, sql, t.toEpochMilli(), 0, 1, 0).stream().findFirst();
    }

    private List<ValueRecord> queryValues(String wellId, String variable, String sql, long a, long b, int limit,
                                          int offset) throws SQLException {
        synchronized (readLock) {
            Connection c = readConnection();
            try (PreparedStatement ps = c.prepareStatement(sql)) {
                ps.setString(1, wellId);
                ps.setString(2, variable);
                ps.setLong(3, a);
                ps.setLong(4, b);
                ps.setInt(5, limit);
                ps.setInt(6, offset);
                List<ValueRecord> out = new ArrayList<>();
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        double v = rs.getDouble(2);
                        Double value = rs.wasNull() ? null : v;
                        out.add(new ValueRecord(wellId, variable, Instant.ofEpochMilli(rs.getLong(1)), value, rs.getLong(3)));
                    }
                }
                return out;
            } catch (SQLException e) {
                dropReadConnection();
                throw e;
            }
        }
    }

    /** Events of a well with {@code from <= t < to} (reverse as for values), skipping {@code offset}, at most {@code limit}. */
    public List<EventRecord> readEvents(String wellId, Instant from, Instant to, boolean descending, int offset,
                                       int limit) throws SQLException {
        String range = descending ? "t <= ? AND t > ?" : "t >= ? AND t < ?";
        String order = descending ? "DESC" : "ASC";
        String sql = "SELECT t, event_type, severity, message, model_version, valve_state, tolerance, training_loss,"
                + " sample_count FROM wh_event WHERE well_id = ? AND " + range
                + " ORDER BY t " + order + ", event_type " + order + " LIMIT ? OFFSET ?";
        synchronized (readLock) {
            Connection c = readConnection();
            try (PreparedStatement ps = c.prepareStatement(sql)) {
                ps.setString(1, wellId);
                ps.setLong(2, from.toEpochMilli());
                ps.setLong(3, to.toEpochMilli());
                ps.setInt(4, limit);
                ps.setInt(5, offset);
                List<EventRecord> out = new ArrayList<>();
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        out.add(new EventRecord(wellId, Instant.ofEpochMilli(rs.getLong(1)), rs.getString(2),
                                rs.getInt(3), rs.getString(4), intOrNull(rs, 5), rs.getString(6),
                                doubleOrNull(rs, 7), doubleOrNull(rs, 8), intOrNull(rs, 9)));
                    }
                }
                return out;
            } catch (SQLException e) {
                dropReadConnection();
                throw e;
            }
        }
    }

    private Connection readConnection() throws SQLException {
        if (readConnection == null) {
            readConnection = open();
            // Autocommit: every read sees the latest committed rows (no long-lived snapshot).
            readConnection.setAutoCommit(true);
            if (isSqlite()) {
                try (Statement s = readConnection.createStatement()) {
                    s.execute("PRAGMA query_only=1");
                }
            }
        }
        return readConnection;
    }

    private void dropReadConnection() {
        if (readConnection != null) {
            closeQuietly(readConnection);
            readConnection = null;
        }
    }

    // ---- Lifecycle -------------------------------------------------------------------------------

    /** Writes what is queued (waiting up to 5 s), stops the writer and closes the connections. */
    @Override
    public void close() {
        if (!running) {
            return;
        }
        urgent = true;
        running = false;
        try {
            writer.join(5000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (writer.isAlive()) {
            writer.interrupt();
        }
        int lost = queue.size();
        if (lost > 0) {
            dropped.addAndGet(lost);
            queue.clear();
        }
        synchronized (writeLock) {
            if (writeConnection != null) {
                closeQuietly(writeConnection);
            }
        }
        synchronized (readLock) {
            dropReadConnection();
        }
        LOG.info("History store closed: {} rows written, {} lost", written.get(), droppedRows());
    }

    private Connection open() throws SQLException {
        Properties p = new Properties();
        if (!config.user().isEmpty()) {
            p.setProperty("user", config.user());
            p.setProperty("password", config.password());
        }
        if (isSqlite()) {
            p.setProperty("busy_timeout", Integer.toString(SQLITE_BUSY_TIMEOUT_MS));
            // WAL: readers (HistoryRead) and the writer do not block each other.
            p.setProperty("journal_mode", "WAL");
            p.setProperty("synchronous", "NORMAL");
        } else if (config.jdbcUrl().startsWith("jdbc:postgresql:")) {
            // One multi-row INSERT per batch instead of one round trip per row.
            p.setProperty("reWriteBatchedInserts", "true");
            p.setProperty("ApplicationName", APPLICATION_NAME);
        }
        Connection c = DriverManager.getConnection(config.jdbcUrl(), p);
        c.setAutoCommit(false);
        return c;
    }

    private boolean isSqlite() {
        return config.jdbcUrl().startsWith("jdbc:sqlite:");
    }

    private static void createSqliteParent(String url) {
        if (!url.startsWith("jdbc:sqlite:")) {
            return;
        }
        String file = url.substring("jdbc:sqlite:".length());
        int q = file.indexOf('?');
        if (q >= 0) {
            file = file.substring(0, q);
        }
        if (file.isEmpty() || file.startsWith(":memory:") || file.startsWith("file:")) {
            return;
        }
        Path parent = Path.of(file).toAbsolutePath().getParent();
        if (parent != null) {
            try {
                Files.createDirectories(parent);
            } catch (IOException e) {
                LOG.warn("cannot create history directory {}: {}", parent, e.toString());
            }
        }
    }

    private static void setDouble(PreparedStatement ps, int i, Double v) throws SQLException {
        if (v == null || !Double.isFinite(v)) {
            ps.setNull(i, Types.DOUBLE);
        } else {
            ps.setDouble(i, v);
        }
    }

    private static void setInt(PreparedStatement ps, int i, Integer v) throws SQLException {
        if (v == null) {
            ps.setNull(i, Types.INTEGER);
        } else {
            ps.setInt(i, v);
        }
    }

    private static Integer intOrNull(ResultSet rs, int i) throws SQLException {
        int v = rs.getInt(i);
        return rs.wasNull() ? null : v;
    }

    private static Double doubleOrNull(ResultSet rs, int i) throws SQLException {
        double v = rs.getDouble(i);
        return rs.wasNull() ? null : v;
    }

    private static void closeQuietly(Connection c) {
        try {
            c.close();
        } catch (SQLException ignored) {
            // closing anyway
        }
    }
}
