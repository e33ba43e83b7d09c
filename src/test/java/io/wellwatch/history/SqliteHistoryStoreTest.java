package io.wellwatch.history;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.wellwatch.config.HistoryConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;

/** {@link HistoryStoreTest} on SQLite files (the default store). */
class SqliteHistoryStoreTest extends HistoryStoreTest {

    @TempDir
    Path tmp;

    @Override
    HistoryConfig config(String name, int queueCapacity, int batchSize) {
        return HistoryConfig.of(true, "jdbc:sqlite:" + file(name), null, null, 30, queueCapacity, batchSize, 200L);
    }

    private Path file(String name) {
        return tmp.resolve(name + ".db");
    }

    /** An exclusive transaction of another connection: the writer's batches fail after the busy timeout. */
    @Override
    AutoCloseable lockAgainstWriters(String name) throws SQLException {
        Connection other = DriverManager.getConnection("jdbc:sqlite:" + file(name));
        try (Statement s = other.createStatement()) {
            s.execute("BEGIN EXCLUSIVE");
            s.execute("INSERT INTO wh_event (well_id, t, event_type, severity) VALUES ('X', 0, 'lock', 0)");
        }
        return () -> {
            try (Statement s = other.createStatement()) {
                s.execute("ROLLBACK");
            } finally {
                other.close();
            }
        };
    }

    @Override
    long storeBytes(String name) throws Exception {
        Path wal = tmp.resolve(name + ".db-wal");
        return Files.size(file(name)) + (Files.exists(wal) ? Files.size(wal) : 0);
    }

    @Override
    String databaseName() {
        return "SQLite";
    }

    /**
     * A full disk, made real with SQLite's page limit (the database cannot grow past 24 pages): the
     * batches that do not fit fail with SQLITE_FULL, their rows are dropped and counted, health says
     * so, the caller is never held up, and what was written before stays readable.
     */
    @Test
    @org.junit.jupiter.api.Timeout(120)
    void aFullDatabaseDropsAndCountsAndKeepsWhatItHas() throws Exception {
        HistoryConfig full = HistoryConfig.of(true, "jdbc:sqlite:" + file("full") + "?max_page_count=24", null, null,
                30, 1000, 100, 200L);
        try (HistoryStore store = new HistoryStore(full, Clock.systemUTC())) {
            HistoryRecorder recorder = new HistoryRecorder(store, Clock.systemUTC());
            recorder.onAssessment(assessment("W1", T0, io.wellwatch.core.RiskLevel.NORMAL, 0.5, 0.5, 1));
            assertThat(store.flush(WAIT)).isTrue();
            assertThat(store.health().healthy()).isTrue();
            // Paced below the queue's capacity, so that what is lost is lost to the full database.
            for (int i = 1; i <= 10_000; i++) {
                recorder.onAssessment(assessment("W1", T0.plusSeconds(i), io.wellwatch.core.RiskLevel.NORMAL,
                        0.001 * i, 0.5, 1));
                if (i % 500 == 0) {
                    store.flush(WAIT);
                }
            }
            HistoryHealth health = store.health();
            assertThat(health.writeFailures()).as("%s", health).isPositive();
            assertThat(health.rowsDropped()).as("%s", health).isPositive();
            assertThat(health.healthy()).as("%s", health).isFalse();
            assertThat(health.recording()).as("still recording what fits").isTrue();
            assertThat(health.lastWriteError()).as("the reason is named").containsIgnoringCase("full");
            assertThat(store.writtenRows() + store.droppedRows()).as("every row is either written or counted as lost")
                    .isGreaterThanOrEqualTo(10_001);
            assertThat(store.readValues("W1", "Loss", T0, T0.plusSeconds(1), false, 0, 10))
                    .as("what was written before the disk filled").isNotEmpty();

            // Space freed (here: old rows deleted by another connection): history resumes by itself.
            try (Connection other = DriverManager.getConnection("jdbc:sqlite:" + file("full"));
                 Statement s = other.createStatement()) {
                s.execute("DELETE FROM wh_value");
            }
            long writtenBefore = store.writtenRows();
            for (int i = 0; i < 5; i++) {
                recorder.onAssessment(assessment("W2", T0.plusSeconds(20_000 + i), io.wellwatch.core.RiskLevel.NORMAL,
                        0.1 + i, 0.5, 1));
            }
            assertThat(store.flush(WAIT)).isTrue();
            assertThat(store.writtenRows()).as("%s", store.health()).isGreaterThan(writtenBefore);
            assertThat(store.health().healthy()).as("%s", store.health()).isTrue();
            assertThat(store.readValues("W2", "Loss", T0.plusSeconds(20_000), T0.plusSeconds(20_005), false, 0, 10))
                    .hasSize(5);
        }
    }

    @Test
    void aFileThatIsNotADatabaseFailsToOpenWithAMessage() throws Exception {
        Path file = tmp.resolve("not-a-db.db");
        Files.writeString(file, "this is not a database, and it is long enough to be read as a header.........");
        assertThatThrownBy(() -> new HistoryStore(HistoryConfig.at("jdbc:sqlite:" + file), Clock.systemUTC()).close())
                .isInstanceOf(SQLException.class)
                .satisfies(e -> assertThat(e.getMessage()).isNotBlank());
    }
}
