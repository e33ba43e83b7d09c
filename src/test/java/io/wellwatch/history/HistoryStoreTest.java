package io.wellwatch.history;

import static org.assertj.core.api.Assertions.assertThat;

import io.wellwatch.config.HistoryConfig;
import io.wellwatch.core.Assessment;
import io.wellwatch.core.DataState;
import io.wellwatch.core.ModelTrained;
import io.wellwatch.core.RiskLevel;
import org.eclipse.milo.opcua.stack.core.StatusCodes;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

class HistoryStoreTest {

    private static final Instant T0 = Instant.parse("2026-11-01T00:00:00Z");
    private static final Duration WAIT = Duration.ofSeconds(20);

    @TempDir
    Path tmp;

    private HistoryConfig config(String file, int queueCapacity, int batchSize) {
        return HistoryConfig.of(true, "jdbc:sqlite:" + tmp.resolve(file), null, null, 30, queueCapacity, batchSize, 200L);
    }

    private static ValueRecord loss(int i) {
        return new ValueRecord("W1", "Loss", T0.plusSeconds(i), i * 0.5, StatusCodes.Good);
    }

    @Test
    void writesInBatchesOffTheCallerAndReadsBackInOrder() throws Exception {
        try (HistoryStore store = new HistoryStore(config("h.db", 10_000, 100), Clock.systemUTC())) {
            for (int i = 0; i < 1000; i++) {
                assertThat(store.offer(loss(i))).isTrue();
            }
            store.offer(new ValueRecord("W1", "RiskLevel", T0, null, StatusCodes.Bad_WaitingForInitialData));
            assertThat(store.flush(WAIT)).isTrue();
            assertThat(store.writtenRows()).isEqualTo(1001);
            assertThat(store.droppedRows()).isZero();

            List<ValueRecord> all = store.readValues("W1", "Loss", T0, T0.plusSeconds(1000), false, 0, 5000);
            assertThat(all).hasSize(1000);
            assertThat(all.get(0)).isEqualTo(loss(0));
            assertThat(all.get(999)).isEqualTo(loss(999));
            // half-open [from, to), paging, reverse order
            assertThat(store.readValues("W1", "Loss", T0.plusSeconds(10), T0.plusSeconds(20), false, 2, 3))
                    .containsExactly(loss(12), loss(13), loss(14));
            assertThat(store.readValues("W1", "Loss", T0.plusSeconds(20), T0.plusSeconds(10), true, 0, 2))
                    .containsExactly(loss(20), loss(19));
            assertThat(store.valueAtOrBefore("W1", "Loss", T0.plusMillis(5500))).contains(loss(5));
            assertThat(store.valueAtOrAfter("W1", "Loss", T0.plusMillis(5500))).contains(loss(6));
            assertThat(store.readValues("W1", "RiskLevel", T0, T0.plusSeconds(1), false, 0, 10))
                    .containsExactly(new ValueRecord("W1", "RiskLevel", T0, null, StatusCodes.Bad_WaitingForInitialData));
            assertThat(store.readValues("W2", "Loss", T0, T0.plusSeconds(1000), false, 0, 10)).isEmpty();
        }
    }

    @Test
    void retentionDeletesOnlyOldRows() throws Exception {
        Clock clock = Clock.fixed(T0.plus(Duration.ofDays(40)), ZoneOffset.UTC);
        try (HistoryStore store = new HistoryStore(config("r.db", 1000, 10), clock)) {
            store.offer(new ValueRecord("W1", "Loss", T0, 1.0, StatusCodes.Good));                          // 40 days old
            store.offer(new ValueRecord("W1", "Loss", T0.plus(Duration.ofDays(11)), 2.0, StatusCodes.Good)); // 29 days old
            store.offer(event("W1", T0, 1));
            store.offer(event("W1", T0.plus(Duration.ofDays(39)), 2));
            assertThat(store.flush(WAIT)).isTrue();

            assertThat(store.applyRetention()).isEqualTo(2);

            Instant end = T0.plus(Duration.ofDays(41));
            assertThat(store.readValues("W1", "Loss", T0, end, false, 0, 10)).extracting(ValueRecord::value).containsExactly(2.0);
            assertThat(store.readEvents("W1", T0, end, false, 0, 10)).extracting(EventRecord::modelVersion).containsExactly(2);
        }
    }

    @Test
    void aLockedDatabaseDropsAndCountsButNeverBlocksTheScoringThread() throws Exception {
        Path file = tmp.resolve("locked.db");
        try (HistoryStore store = new HistoryStore(config("locked.db", 100, 10), Clock.systemUTC());
             Connection other = DriverManager.getConnection("jdbc:sqlite:" + file)) {
            HistoryRecorder recorder = new HistoryRecorder(store, Clock.systemUTC());
            try (Statement s = other.createStatement()) {
                s.execute("BEGIN EXCLUSIVE");
                s.execute("INSERT INTO wh_event (well_id, t, event_type, severity) VALUES ('X', 0, 'lock', 0)");
            }
            // 20,000 samples with a changing Loss while the database is locked: each is one queue offer.
            long started = System.nanoTime();
            long slowest = 0;
            for (int i = 0; i < 20_000; i++) {
                long t = System.nanoTime();
                recorder.onAssessment(assessment("W1", T0.plusSeconds(i), RiskLevel.NORMAL, 0.001 * i, 0.5, 1));
                slowest = Math.max(slowest, System.nanoTime() - t);
            }
            Duration took = Duration.ofNanos(System.nanoTime() - started);
            assertThat(took).as("20,000 samples while locked").isLessThan(Duration.ofSeconds(2));
            assertThat(Duration.ofNanos(slowest)).as("slowest sample").isLessThan(Duration.ofMillis(200));
            assertThat(store.droppedRows()).as("rows dropped").isGreaterThan(10_000);

            long deadline = System.nanoTime() + WAIT.toNanos();
            while (store.lastProblem().isEmpty() && System.nanoTime() < deadline) {
                Thread.sleep(20);
            }
            assertThat(store.lastProblem()).contains("dropped");

            // Lock released: history resumes.
            try (Statement s = other.createStatement()) {
                s.execute("ROLLBACK");
            }
            assertThat(store.flush(WAIT)).isTrue();
            long writtenBefore = store.writtenRows();
            for (int i = 0; i < 5; i++) {
                store.offer(loss(100_000 + i));
            }
            assertThat(store.flush(WAIT)).isTrue();
            assertThat(store.writtenRows()).isEqualTo(writtenBefore + 5);
            assertThat(store.readValues("W1", "Loss", T0.plusSeconds(100_000), T0.plusSeconds(100_005), false, 0, 10))
                    .hasSize(5);
        }
    }

    @Test
    void anUnwritableDatabaseFailsToOpenWithAMessage() throws Exception {
        Path dir = tmp.resolve("ro");
        Files.createDirectories(dir);
        Path file = dir.resolve("h.db");
        Files.writeString(file, "this is not a database, and it is long enough to be read as a header.........");
        try {
            new HistoryStore(HistoryConfig.at("jdbc:sqlite:" + file), Clock.systemUTC()).close();
            throw new AssertionError("opened a file that is not a database");
        } catch (java.sql.SQLException expected) {
            assertThat(expected.getMessage()).isNotBlank();
        }
    }

    @Test
    void historySurvivesARestart() throws Exception {
        HistoryConfig config = config("restart.db", 1000, 50);
        try (HistoryStore store = new HistoryStore(config, Clock.systemUTC())) {
            HistoryRecorder recorder = new HistoryRecorder(store, Clock.systemUTC());
            recorder.onAssessment(assessment("W1", T0, RiskLevel.NORMAL, 0.1, 0.5, 1));
            recorder.onAssessment(assessment("W1", T0.plusSeconds(1), RiskLevel.HIGH, 2.0, 0.5, 1));
            recorder.onModelTrained(new ModelTrained("W1", "DHSV=1", 2, 0.6, 0.05, 500, T0.plusSeconds(2)));
        } // close writes what is queued
        try (HistoryStore store = new HistoryStore(config, Clock.systemUTC())) {
            assertThat(store.readValues("W1", "RiskLevel", T0, T0.plusSeconds(10), false, 0, 10))
                    .extracting(ValueRecord::value).containsExactly(0.0, 3.0);
            assertThat(store.readValues("W1", "Loss", T0, T0.plusSeconds(10), false, 0, 10))
                    .extracting(ValueRecord::value).containsExactly(0.1, 2.0);
            assertThat(store.readValues("W1", "ModelVersion", T0, T0.plusSeconds(10), false, 0, 10))
                    .extracting(ValueRecord::value).containsExactly(1.0);
            List<EventRecord> events = store.readEvents("W1", T0, T0.plusSeconds(10), false, 0, 10);
            assertThat(events).hasSize(1);
            assertThat(events.get(0).modelVersion()).isEqualTo(2);
            assertThat(events.get(0).valveState()).isEqualTo("DHSV=1");
            // a new series after the restart gets its own id
            store.offer(new ValueRecord("W2", "Loss", T0, 7.0, StatusCodes.Good));
            assertThat(store.flush(WAIT)).isTrue();
            assertThat(store.readValues("W2", "Loss", T0, T0.plusSeconds(1), false, 0, 10)).hasSize(1);
            assertThat(store.readValues("W1", "Loss", T0, T0.plusSeconds(10), false, 0, 10)).hasSize(2);
        }
    }

    @Test
    void recorderKeepsOnlyChangesWithTheServersStatusCodes() throws Exception {
        try (HistoryStore store = new HistoryStore(config("rec.db", 1000, 50), Clock.systemUTC())) {
            HistoryRecorder recorder = new HistoryRecorder(store, Clock.fixed(T0.plusSeconds(100), ZoneOffset.UTC));
            recorder.onAssessment(assessment("W1", T0, RiskLevel.NORMAL, Double.NaN, Double.NaN, 0));      // no model
            recorder.onAssessment(assessment("W1", T0.plusSeconds(1), RiskLevel.NORMAL, 0.2, 0.5, 1));
            recorder.onAssessment(assessment("W1", T0.plusSeconds(2), RiskLevel.NORMAL, 0.2, 0.5, 1));     // no change
            recorder.onAssessment(new Assessment("W1", T0.plusSeconds(3), DataState.INVALID, null, Double.NaN, 0.5, 1,
                    "", 0, 10, null, null));                                                                // invalid: held
            recorder.onConnectionState("W1", false);
            recorder.onAssessment(assessment("W1", T0.plusSeconds(4), RiskLevel.LOW, 0.6, 0.5, 1));       // ignored while down
            recorder.onConnectionState("W1", true);
            assertThat(store.flush(WAIT)).isTrue();

            assertThat(store.readValues("W1", "Loss", T0, T0.plusSeconds(1000), false, 0, 10))
                    .extracting(ValueRecord::value, ValueRecord::status)
                    .containsExactly(
                            org.assertj.core.groups.Tuple.tuple(null, StatusCodes.Bad_WaitingForInitialData),
                            org.assertj.core.groups.Tuple.tuple(0.2, StatusCodes.Good),
                            org.assertj.core.groups.Tuple.tuple(0.2, StatusCodes.Uncertain_LastUsableValue),
                            org.assertj.core.groups.Tuple.tuple(0.2, StatusCodes.Bad_NoCommunication));
            assertThat(store.readValues("W1", "ModelVersion", T0, T0.plusSeconds(1000), false, 0, 10))
                    .extracting(ValueRecord::value).containsExactly(0.0, 1.0, 1.0);
        }
    }

    /** One simulated day at 1 Hz through the recorder: the store's size per well per day. */
    @Test
    void sizePerWellPerDayAtOneHertz() throws Exception {
        Path file = tmp.resolve("size.db");
        int n = 86_400;
        Random random = new Random(7);
        try (HistoryStore store = new HistoryStore(config("size.db", 20_000, 500), Clock.systemUTC())) {
            HistoryRecorder recorder = new HistoryRecorder(store, Clock.systemUTC());
            RiskLevel risk = RiskLevel.NORMAL;
            for (int i = 0; i < n; i++) {
                if (i % 600 == 0) {
                    risk = RiskLevel.values()[random.nextInt(2)];
                }
                recorder.onAssessment(assessment("WELL-00001", T0.plusSeconds(i), risk, random.nextDouble(), 0.5,
                        1 + i / 43_200));
                if (i % 5000 == 0) {
                    store.flush(WAIT);
                }
            }
            assertThat(store.flush(WAIT)).isTrue();
            assertThat(store.droppedRows()).isZero();
        }
        long bytes = Files.size(file);
        long wal = Files.exists(tmp.resolve("size.db-wal")) ? Files.size(tmp.resolve("size.db-wal")) : 0;
        System.out.printf("history size: %d bytes for one well-day at 1 Hz (%.1f bytes/sample, wal %d)%n",
                bytes, bytes / (double) n, wal);
        assertThat(bytes).isLessThan(10L * 1024 * 1024);
    }

    private static EventRecord event(String well, Instant t, int version) {
        return new EventRecord(well, t, EventRecord.MODEL_RETRAINED, 100, "m", version, "DHSV=1", 0.5, 0.1, 500);
    }

    static Assessment assessment(String well, Instant t, RiskLevel risk, double loss, double tolerance, int version) {
        return new Assessment(well, t, DataState.NORMAL, risk, loss, tolerance, version, "DHSV=1", 10, 10,
                null, "P-TPT");
    }
}
