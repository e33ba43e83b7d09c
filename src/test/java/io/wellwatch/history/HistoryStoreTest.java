package io.wellwatch.history;

import static org.assertj.core.api.Assertions.assertThat;

import io.wellwatch.config.HistoryConfig;
import io.wellwatch.core.Assessment;
import io.wellwatch.core.DataState;
import io.wellwatch.core.ModelTrained;
import io.wellwatch.core.RiskLevel;
import org.eclipse.milo.opcua.stack.core.StatusCodes;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * The history store's behaviour, the same on every database it supports: each subclass runs these
 * tests against one real database ({@link SqliteHistoryStoreTest}, {@link PostgresHistoryStoreTest}).
 */
abstract class HistoryStoreTest {

    static final Instant T0 = Instant.parse("2026-11-01T00:00:00Z");
    static final Duration WAIT = Duration.ofSeconds(20);

    /** A store configuration on this test's own, empty database; the same name means the same database. */
    abstract HistoryConfig config(String name, int queueCapacity, int batchSize);

    /** Keeps the writer's next transaction waiting (or failing) until the returned lock is closed. */
    abstract AutoCloseable lockAgainstWriters(String name) throws Exception;

    /** The bytes the database holds for the store named {@code name} (its tables and indexes). */
    abstract long storeBytes(String name) throws Exception;

    /** The name of the database this subclass tests, for the printed figures. */
    abstract String databaseName();

    private static ValueRecord loss(int i) {
        return new ValueRecord("W1", "Loss", T0.plusSeconds(i), i * 0.5, StatusCodes.Good);
    }

    @Test
    void writesInBatchesOffTheCallerAndReadsBackInOrder() throws Exception {
        try (HistoryStore store = new HistoryStore(config("h", 10_000, 100), Clock.systemUTC())) {
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
        try (HistoryStore store = new HistoryStore(config("r", 1000, 10), clock)) {
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

    /**
     * The scoring thread never waits for the database: while it is locked, 20,000 samples go through
     * the recorder (were an offer to wait for the lock, the loop would never end while the lock is
     * held; the timeout only guards against that hang), the overflow is dropped and counted, and
     * history resumes once the lock is gone.
     */
    @Test
    @Timeout(120)
    void aLockedDatabaseDropsAndCountsButNeverBlocksTheScoringThread() throws Exception {
        try (HistoryStore store = new HistoryStore(config("locked", 100, 10), Clock.systemUTC())) {
            HistoryRecorder recorder = new HistoryRecorder(store, Clock.systemUTC());
            store.offer(loss(-1));
            assertThat(store.flush(WAIT)).isTrue();
            assertThat(store.health().healthy()).isTrue();
            try (AutoCloseable lock = lockAgainstWriters("locked")) {
                for (int i = 0; i < 20_000; i++) {
                    recorder.onAssessment(assessment("W1", T0.plusSeconds(i), RiskLevel.NORMAL, 0.001 * i, 0.5, 1));
                }
                assertThat(store.droppedRows()).as("rows dropped").isGreaterThan(10_000);
                HistoryHealth locked = store.health();
                assertThat(locked.healthy()).as("%s", locked).isFalse();
                assertThat(locked.recording()).isTrue();
                assertThat(locked.rowsDropped()).isGreaterThan(10_000);
            }
            // Lock released: history resumes and is healthy again.
            assertThat(store.flush(WAIT)).isTrue();
            long writtenBefore = store.writtenRows();
            for (int i = 0; i < 5; i++) {
                store.offer(loss(100_000 + i));
            }
            assertThat(store.flush(WAIT)).isTrue();
            assertThat(store.writtenRows()).isEqualTo(writtenBefore + 5);
            assertThat(store.readValues("W1", "Loss", T0.plusSeconds(100_000), T0.plusSeconds(100_005), false, 0, 10))
                    .hasSize(5);
            HistoryHealth after = store.health();
            assertThat(after.healthy()).as("%s", after).isTrue();
            assertThat(after.lastSuccessfulWrite()).isNotNull();
            assertThat(after.queueDepth()).isZero();
        }
    }

    @Test
    void historySurvivesARestart() throws Exception {
        HistoryConfig config = config("restart", 1000, 50);
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
            assertThat(store.readValues("W1", "Tolerance", T0, T0.plusSeconds(10), false, 0, 10))
                    .extracting(ValueRecord::value, ValueRecord::sourceTime)
                    .containsExactly(org.assertj.core.groups.Tuple.tuple(0.5, T0)); // changes only
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
        try (HistoryStore store = new HistoryStore(config("rec", 1000, 50), Clock.systemUTC())) {
            HistoryRecorder recorder = new HistoryRecorder(store, Clock.fixed(T0.plusSeconds(100), ZoneOffset.UTC));
            recorder.onAssessment(assessment("W1", T0, RiskLevel.NORMAL, Double.NaN, Double.NaN, 0));      // no model
            recorder.onAssessment(assessment("W1", T0.plusSeconds(1), RiskLevel.NORMAL, 0.2, 0.5, 1));
            recorder.onAssessment(assessment("W1", T0.plusSeconds(2), RiskLevel.NORMAL, 0.2, 0.5, 1));     // no change
            recorder.onAssessment(new Assessment("W1", T0.plusMillis(2500), DataState.NORMAL, RiskLevel.NORMAL, 0.2, 0.5,
                    1, "DHSV=1", 10, 10, null, "P-TPT", false));                                           // warming up: held
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
            assertThat(store.readValues("W1", "Loss", T0, T0.plusSeconds(1000), false, 0, 10).get(2).sourceTime())
                    .as("held from the first sample not judged").isEqualTo(T0.plusMillis(2500));
            assertThat(store.readValues("W1", "RiskLevel", T0, T0.plusSeconds(1000), false, 0, 10))
                    .extracting(ValueRecord::status).contains(StatusCodes.Uncertain_LastUsableValue);
            assertThat(store.readValues("W1", "ModelVersion", T0, T0.plusSeconds(1000), false, 0, 10))
                    .extracting(ValueRecord::value).containsExactly(0.0, 1.0, 1.0);
        }
    }

    /** One simulated day at 1 Hz through the recorder: the store's size per well per day. */
    @Test
    void sizePerWellPerDayAtOneHertz() throws Exception {
        int n = 86_400;
        Random random = new Random(7);
        try (HistoryStore store = new HistoryStore(config("size", 20_000, 500), Clock.systemUTC())) {
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
        long bytes = storeBytes("size");
        System.out.printf("history size on %s: %d bytes for one well-day at 1 Hz (%.1f bytes/sample)%n",
                databaseName(), bytes, bytes / (double) n);
        assertThat(bytes).isLessThan(30L * 1024 * 1024);
    }

    private static EventRecord event(String well, Instant t, int version) {
        return new EventRecord(well, t, EventRecord.MODEL_RETRAINED, 100, "m", version, "DHSV=1", 0.5, 0.1, 500);
    }

    static Assessment assessment(String well, Instant t, RiskLevel risk, double loss, double tolerance, int version) {
        return new Assessment(well, t, DataState.NORMAL, risk, loss, tolerance, version, "DHSV=1", 10, 10,
                null, "P-TPT");
    }
}
