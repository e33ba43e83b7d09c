package io.wellwatch.core;

import io.wellwatch.config.DetectorConfig;
import io.wellwatch.config.DetectorSettings;
import io.wellwatch.config.SensorConfig;
import io.wellwatch.config.WellConfig;
import io.wellwatch.model.Dl4jForecasterFactory;
import io.wellwatch.model.FileModelStore;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

import static org.assertj.core.api.Assertions.assertThat;

/** The detector's learning rules with a real (small) DL4J model and a real model store. */
class WellDetectorTest {

    private static final Instant T0 = Instant.parse("2017-02-01T02:00:00Z");

    @TempDir
    Path models;

    private final List<ModelTrained> trained = new ArrayList<>();

    private WellDetector detector() {
        return detector(Runnable::run);
    }

    private WellDetector detector(Executor trainingExecutor) {
        DetectorConfig d = DetectorSettings.of("{windowSize: 80, retrainInterval: 80,"
                + " minTrainingSamples: 40, lookback: 5, lstmUnits: 8, epochs: 3, batchSize: 16, learningRate: 0.01,"
                + " lossWindow: 5, toleranceFloor: 0.01, seed: 7, relearnHoldoff: 12, maxToleranceGrowth: 2.0}");
        WellConfig well = WellConfig.of("W", "opc.tcp://127.0.0.1:1/plc", 1000L, 0L,
                List.of(new SensorConfig("P", "ns=2;s=P", null, null, 1.0),
                        new SensorConfig("T", "ns=2;s=T", null, null, 1.0)),
                List.of(), d);
        Dl4jForecasterFactory factory = new Dl4jForecasterFactory();
        return new WellDetector(well, factory, new FileModelStore(models, factory), trainingExecutor,
                new DetectorListener() {
                    @Override
                    public void onAssessment(Assessment a) {
                    }

                    @Override
                    public void onModelTrained(ModelTrained e) {
                        trained.add(e);
                    }
                }, Clock.fixed(T0, ZoneOffset.UTC));
    }

    private static Assessment feed(WellDetector d, int i, double p, double t) {
        Instant time = T0.plusSeconds(i);
        return d.onSample(new RawSample("W", time,
                new TagReading[]{TagReading.good(p, time), TagReading.good(t, time)}, new TagReading[0]));
    }

    private static double wave(int i) {
        return 10 + 0.3 * Math.sin(i / 6.0);
    }

    @Test
    void withoutAModelNothingIsJudged() {
        WellDetector d = detector();
        for (int i = 0; i < 79; i++) {
            Assessment a = feed(d, i, wave(i), 50);
            assertThat(a.modelVersion()).isZero();
            assertThat(a.judged()).as("sample %d before the first model", i).isFalse();
            assertThat(a.judgedRisk()).isNull();
        }
    }

    @Test
    void aSkippedTrainingIsInTheStatusUntilAModelGoesIntoService() {
        WellDetector d = detector();
        int i = 0;
        // Every 5th sample not finite: runs of 4 are too short to learn from, so the training is skipped.
        for (; d.status().normal() < 80; i++) {
            feed(d, i, i % 5 == 4 ? Double.NaN : wave(i), 50);
        }
        assertThat(trained).isEmpty();
        assertThat(d.status().trainingProblem()).startsWith("training skipped: too few samples without gaps");
        for (int k = 0; k < 80; k++, i++) {
            feed(d, i, wave(i), 50 + 0.2 * Math.cos(i / 6.0));
        }
        assertThat(trained).extracting(ModelTrained::modelVersion).containsExactly(1);
        assertThat(d.status().trainingProblem()).isEmpty();
    }

    @Test
    void aDamagedOnlyVersionOnDiskIsSkippedAndTheNextTrainingTakesTheNextNumber() throws Exception {
        WellDetector first = detector();
        for (int i = 0; first.status().normal() < 80; i++) {
            feed(first, i, wave(i), 50 + 0.2 * Math.cos(i / 6.0));
        }
        first.close();
        assertThat(trained).extracting(ModelTrained::modelVersion).containsExactly(1);
        // Cut the weights of the only version short, as a full disk or a bad copy would
        Path weights;
        try (var files = java.nio.file.Files.walk(models)) {
            weights = files.filter(f -> f.getFileName().toString().equals("weights.zip")).findFirst().orElseThrow();
        }
        byte[] bytes = java.nio.file.Files.readAllBytes(weights);
        java.nio.file.Files.write(weights, java.util.Arrays.copyOf(bytes, bytes.length / 2));

        trained.clear();
        WellDetector second = detector();
        assertThat(feed(second, 0, wave(0), 50.2).modelVersion()).as("the damaged v1 is not loaded").isZero();
        for (int i = 1; second.status().normal() < 80; i++) {
            feed(second, i, wave(i), 50 + 0.2 * Math.cos(i / 6.0));
        }
        second.close();
        assertThat(trained).extracting(ModelTrained::modelVersion).as("v1 is taken, by the damaged one").containsExactly(2);
        Dl4jForecasterFactory factory = new Dl4jForecasterFactory();
        assertThat(new FileModelStore(models, factory).loadLatest("W").values())
                .extracting(m -> m.info().version()).as("v2 was saved and loads after a restart").containsExactly(2);
    }

    @Test
    void aTrainingQueuedBehindAnotherIsNamedWhenShutdownDropsIt() throws Exception {
        ExecutorService oneThread = Executors.newSingleThreadExecutor();
        CountDownLatch busy = new CountDownLatch(1);
        try {
            oneThread.execute(() -> {
                try {
                    busy.await(); // another well's training
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            });
            WellDetector d = detector(oneThread);
            for (int i = 0; i < 80; i++) {
                feed(d, i, wave(i), 50 + 0.2 * Math.cos(i / 6.0));
            }
            List<Runnable> dropped = oneThread.shutdownNow();
            assertThat(dropped).singleElement().isInstanceOfSatisfying(TrainingJob.class,
                    job -> assertThat(job.description()).startsWith("W: training v1 of '"));
            assertThat(trained).isEmpty();
        } finally {
            busy.countDown();
            oneThread.shutdownNow();
        }
    }

    @Test
    void theTailOfAnAnalyzingEpisodeIsScoredButNotLearned() {
        WellDetector d = detector();
        int i = 0;
        for (; i < 80; i++) {
            feed(d, i, wave(i), 50 + 0.2 * Math.cos(i / 6.0));
        }
        assertThat(trained).extracting(ModelTrained::modelVersion).containsExactly(1);
        // Warm up and judge a while on normal data: the window keeps filling.
        for (; i < 110; i++) {
            feed(d, i, wave(i), 50 + 0.2 * Math.cos(i / 6.0));
        }
        // An episode: jumps the model cannot explain.
        Assessment a = null;
        for (int k = 0; k < 6; k++, i++) {
            a = feed(d, i, wave(i) + (k % 2 == 0 ? 3 : -3), 50 + 0.2 * Math.cos(i / 6.0));
        }
        assertThat(a.dataState()).isEqualTo(DataState.ANALYZING);
        // Back to normal: every sample is judged (no gap), Normal again once the loss window has
        // flushed, but the first 12 Normal samples after the last Analyzing one (relearnHoldoff) are
        // not learned; the ones after are.
        List<DataState> states = new ArrayList<>();
        List<Long> learnedDelta = new ArrayList<>();
        for (int k = 0; k < 60; k++, i++) {
            long before = d.status().learned();
            states.add(feed(d, i, wave(i), 50 + 0.2 * Math.cos(i / 6.0)).dataState());
            learnedDelta.add(d.status().learned() - before);
        }
        int lastAnalyzing = states.lastIndexOf(DataState.ANALYZING);
        assertThat(states.subList(lastAnalyzing + 1, states.size())).as("Normal after the episode")
                .containsOnly(DataState.NORMAL).hasSizeGreaterThan(30);
        assertThat(learnedDelta.subList(0, lastAnalyzing + 13)).as("nothing learned in the episode and the hold-off")
                .containsOnly(0L);
        assertThat(learnedDelta.subList(lastAnalyzing + 13, states.size())).as("learning resumes")
                .containsOnly(1L);
    }

    @Test
    void afterAGapTheWarmUpHoldsTheLastJudgementWithoutJudgingAgain() {
        WellDetector d = detector();
        int i = 0;
        for (; i < 110; i++) {
            feed(d, i, wave(i), 50 + 0.2 * Math.cos(i / 6.0));
        }
        // An episode the model judges above Normal.
        Assessment judged = null;
        for (int k = 0; k < 4; k++, i++) {
            judged = feed(d, i, wave(i) + (k % 2 == 0 ? 3 : -3), 50 + 0.2 * Math.cos(i / 6.0));
        }
        assertThat(judged.judged()).isTrue();
        assertThat(judged.judgedRisk()).isNotNull().isNotEqualTo(RiskLevel.NORMAL);

        Assessment invalid = feed(d, i++, Double.NaN, 50);
        assertThat(invalid.judged()).isFalse();
        assertThat(invalid.judgedRisk()).isNull();

        // Valid again: the model warms up (lookback 5 + loss window 5) before it judges.
        List<Assessment> after = new ArrayList<>();
        for (int k = 0; k < 15; k++, i++) {
            after.add(feed(d, i, wave(i), 50 + 0.2 * Math.cos(i / 6.0)));
        }
        int firstJudged = 0;
        while (!after.get(firstJudged).judged()) {
            firstJudged++;
        }
        assertThat(firstJudged).as("samples warming up").isBetween(5, 11);
        for (Assessment a : after.subList(0, firstJudged)) {
            assertThat(a.dataState()).isEqualTo(DataState.NORMAL);
            assertThat(a.judgedRisk()).as("a held level is not a judgement").isNull();
            assertThat(a.riskLevel()).as("the last judgement is shown, held").isEqualTo(judged.riskLevel());
        }
        assertThat(d.status().lastJudged()).isEqualTo(after.get(after.size() - 1).sampleTime());
    }
}
