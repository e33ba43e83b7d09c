package io.wellwatch.core;

import io.wellwatch.config.DetectorConfig;
import io.wellwatch.config.SensorConfig;
import io.wellwatch.config.WellConfig;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** Each kind of bad input has its own reason, the frozen-value check, and the detector's reports per reason. */
class SampleValidatorProblemsTest {

    static final Instant T0 = Instant.parse("2017-02-01T02:02:07Z");

    private static WellConfig well(long frozenAfterMs) {
        return WellConfig.of("W", "opc.tcp://127.0.0.1:1/plc", 1000L, 10_000L,
                List.of(new SensorConfig("P", "ns=2;s=P", 0.0, 100.0, 1.0)), List.of(), DetectorConfig.DEFAULT)
                .withInputChecks(frozenAfterMs, WellConfig.DEFAULT_MAX_FUTURE_MS);
    }

    private static RawSample sample(TagReading p, Instant time) {
        return new RawSample("W", time, new TagReading[]{p}, new TagReading[0]);
    }

    private static InputProblem problemOf(SampleValidator v, TagReading p) {
        String reason = v.check(sample(p, T0), new double[1], new int[0]);
        assertThat(reason == null).isEqualTo(v.lastProblem() == null);
        return v.lastProblem();
    }

    @Test
    void everyBadReadingHasItsKind() {
        SampleValidator v = new SampleValidator(well(0));
        assertThat(problemOf(v, null)).isEqualTo(InputProblem.MISSING);
        assertThat(problemOf(v, new TagReading(5, Quality.BAD, T0))).isEqualTo(InputProblem.BAD_QUALITY);
        assertThat(problemOf(v, new TagReading(5, Quality.UNCERTAIN, T0))).isEqualTo(InputProblem.UNCERTAIN_QUALITY);
        assertThat(problemOf(v, TagReading.good(Double.NaN, T0))).isEqualTo(InputProblem.NOT_FINITE);
        assertThat(problemOf(v, TagReading.good(Double.NEGATIVE_INFINITY, T0))).isEqualTo(InputProblem.NOT_FINITE);
        assertThat(problemOf(v, TagReading.good(1e300, T0))).isEqualTo(InputProblem.OUT_OF_RANGE);
        assertThat(problemOf(v, TagReading.good(5, T0.minusSeconds(60)))).isEqualTo(InputProblem.STALE);
        assertThat(problemOf(v, TagReading.unusable(InputProblem.WRONG_TYPE, T0))).isEqualTo(InputProblem.WRONG_TYPE);
        assertThat(problemOf(v, TagReading.unusable(InputProblem.FUTURE_TIMESTAMP, T0))).isEqualTo(InputProblem.FUTURE_TIMESTAMP);
        assertThat(problemOf(v, TagReading.good(5, T0))).isNull();
        assertThat(v.check(new RawSample("W", T0, new TagReading[0], new TagReading[0]), new double[1], new int[0])).isNotNull();
        assertThat(v.lastProblem()).isEqualTo(InputProblem.SHAPE);
    }

    @Test
    void aValueUnchangedForLongerThanFrozenAfterMsIsInvalidUntilItMovesAgain() {
        SampleValidator v = new SampleValidator(well(30_000));
        List<InputProblem> problems = new ArrayList<>();
        for (int s = 0; s <= 40; s++) {
            v.check(sample(TagReading.good(42.0, T0.plusSeconds(s)), T0.plusSeconds(s)), new double[1], new int[0]);
            problems.add(v.lastProblem());
        }
        assertThat(problems.subList(0, 31)).as("up to 30 s unchanged").containsOnlyNulls();
        assertThat(problems.subList(31, 41)).containsOnly(InputProblem.FROZEN);
        v.check(sample(TagReading.good(42.5, T0.plusSeconds(41)), T0.plusSeconds(41)), new double[1], new int[0]);
        assertThat(v.lastProblem()).isNull();
    }

    @Test
    void offByDefault() {
        SampleValidator v = new SampleValidator(well(0));
        for (int s = 0; s < 100; s++) {
            v.check(sample(TagReading.good(42.0, T0.plusSeconds(s * 60L)), T0.plusSeconds(s * 60L)), new double[1], new int[0]);
            assertThat(v.lastProblem()).isNull();
        }
    }

    @Test
    void theDetectorReportsEachSampleWithItsReasonAndBadReadingsPerKind(@org.junit.jupiter.api.io.TempDir java.nio.file.Path models) {
        List<String> seen = new ArrayList<>();
        DetectorListener listener = new DetectorListener() {
            @Override
            public void onAssessment(Assessment a) {
            }

            @Override
            public void onSampleProcessed(String wellId, DataState state, InputProblem problem, long nanos) {
                assertThat(nanos).isNotNegative();
                seen.add(state + "/" + problem);
            }

            @Override
            public void onBadReading(String wellId, InputProblem problem) {
                seen.add("reading/" + problem);
            }
        };
        var factory = new io.wellwatch.model.Dl4jForecasterFactory();
        WellDetector d = new WellDetector(well(0), factory, new io.wellwatch.model.FileModelStore(models, factory),
                Runnable::run, listener, java.time.Clock.systemUTC());
        d.onSample(sample(TagReading.good(5, T0), T0));
        d.onSample(sample(TagReading.good(Double.NaN, T0.plusSeconds(1)), T0.plusSeconds(1)));
        d.onSample(sample(TagReading.unusable(InputProblem.WRONG_TYPE, T0.plusSeconds(2)), T0.plusSeconds(2)));
        d.onBadReading(InputProblem.OUT_OF_ORDER, "P: value 1 at an old time dropped");
        assertThat(seen).containsExactly("NORMAL/null", "INVALID/NOT_FINITE", "INVALID/WRONG_TYPE", "reading/OUT_OF_ORDER");
    }
}
