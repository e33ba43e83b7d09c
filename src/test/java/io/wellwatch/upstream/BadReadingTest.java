package io.wellwatch.upstream;

import io.wellwatch.core.InputProblem;
import io.wellwatch.core.RawSample;
import io.wellwatch.core.SampleSink;
import io.wellwatch.core.TagReading;
import org.eclipse.milo.opcua.stack.core.types.builtin.DataValue;
import org.eclipse.milo.opcua.stack.core.types.builtin.DateTime;
import org.eclipse.milo.opcua.stack.core.types.builtin.StatusCode;
import org.eclipse.milo.opcua.stack.core.types.builtin.Variant;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** Bad readings at the ingress, driven by hand: dropped, marked unusable or coalesced, and reported per kind. */
class BadReadingTest {

    private final List<RawSample> samples = new ArrayList<>();
    private final List<InputProblem> reported = new ArrayList<>();
    private SampleAssembler a;
    private Instant t0;

    @BeforeEach
    void setUp() {
        a = new SampleAssembler(SampleAssemblerTest.well(), new SampleSink() {
            @Override
            public void onSample(RawSample sample) {
                samples.add(sample);
            }

            @Override
            public void onConnectionState(String wellId, boolean connected) {
            }

            @Override
            public void onBadReading(String wellId, InputProblem problem, String detail) {
                assertThat(detail).isNotBlank();
                reported.add(problem);
            }
        });
        a.setConnected(true);
        // Recent times: the future-timestamp rule compares with our clock.
        t0 = Instant.now().minusSeconds(600);
        a.onSensorReading(0, TagReading.good(1.0, t0));
        a.onSensorReading(1, TagReading.good(2.0, t0));
        a.onValveReading(0, TagReading.good(1.0, t0));
        assertThat(a.tick()).isTrue();
    }

    private RawSample last() {
        return samples.get(samples.size() - 1);
    }

    @Test
    void outOfOrderReadingIsDroppedAndTheNewerValueStands() {
        a.onSensorReading(0, TagReading.good(5.0, t0.minusSeconds(30)));
        assertThat(reported).containsExactly(InputProblem.OUT_OF_ORDER);
        assertThat(a.tick()).as("nothing new arrived").isFalse();
        a.onSensorReading(1, TagReading.good(3.0, t0.plusSeconds(1)));
        assertThat(a.tick()).isTrue();
        assertThat(last().sensors()[0].value()).isEqualTo(1.0);
    }

    @Test
    void anotherValueWithTheSameTimestampIsDroppedButARepeatIsNot() {
        a.onSensorReading(0, TagReading.good(1.0, t0)); // the same reading again (e.g. after a resubscribe)
        a.onSensorReading(0, TagReading.good(9.0, t0));
        assertThat(reported).containsExactly(InputProblem.DUPLICATE_TIMESTAMP);
        a.onSensorReading(1, TagReading.good(3.0, t0.plusSeconds(1)));
        assertThat(a.tick()).isTrue();
        assertThat(last().sensors()[0].value()).isEqualTo(1.0);
    }

    @Test
    void aTimestampFarInTheFutureMakesTheTagUnusableUntilAGoodReading() {
        a.onSensorReading(0, TagReading.good(1.5, Instant.now().plusSeconds(3600)));
        assertThat(reported).containsExactly(InputProblem.FUTURE_TIMESTAMP);
        assertThat(a.tick()).isTrue();
        assertThat(last().sensors()[0].problem()).isEqualTo(InputProblem.FUTURE_TIMESTAMP);
        assertThat(last().time()).as("the sample time is not pulled into the future, nor to our clock: the other"
                + " tags are not made stale by the bad time").isEqualTo(t0);
        a.onSensorReading(0, TagReading.good(1.6, t0.plusSeconds(2)));
        assertThat(a.tick()).isTrue();
        assertThat(last().sensors()[0]).isEqualTo(TagReading.good(1.6, t0.plusSeconds(2)));
    }

    @Test
    void stringsAndArraysAreUnusable() {
        a.onSensorValue(0, new DataValue(Variant.ofString("#VALUE!"), StatusCode.GOOD, new DateTime(t0.plusSeconds(1)), null));
        a.onSensorValue(1, new DataValue(new Variant(new Double[]{1.0, 2.0}), StatusCode.GOOD, new DateTime(t0.plusSeconds(1)), null));
        assertThat(reported).containsExactly(InputProblem.WRONG_TYPE, InputProblem.WRONG_TYPE);
        assertThat(a.tick()).isTrue();
        assertThat(last().sensors()).allSatisfy(r -> assertThat(r.problem()).isEqualTo(InputProblem.WRONG_TYPE));
    }

    @Test
    void aBurstIsCoalescedToTheLatestValueAndReportedOncePerPeriod() {
        for (int k = 1; k <= 500; k++) {
            a.onSensorReading(0, TagReading.good(k, t0.plusMillis(k)));
        }
        assertThat(a.tick()).isTrue();
        assertThat(last().sensors()[0].value()).isEqualTo(500.0);
        assertThat(reported).containsExactly(InputProblem.BURST);
        a.onSensorReading(0, TagReading.good(501, t0.plusSeconds(1)));
        assertThat(a.tick()).isTrue();
        assertThat(reported).as("a normal period after the burst").containsExactly(InputProblem.BURST);
    }

    @Test
    void aPlcClockSetBackIsAcceptedAfterAFewReadingsAndAReconnectStartsAfresh() {
        Instant back = t0.minusSeconds(3600);
        for (int k = 0; k < SampleAssembler.CLOCK_JUMP_READINGS; k++) {
            a.onSensorReading(0, TagReading.good(10 + k, back.plusSeconds(k)));
        }
        assertThat(reported).hasSize(SampleAssembler.CLOCK_JUMP_READINGS - 1).containsOnly(InputProblem.OUT_OF_ORDER);
        assertThat(a.tick()).isTrue();
        assertThat(last().sensors()[0].value()).isEqualTo(10.0 + SampleAssembler.CLOCK_JUMP_READINGS - 1);

        reported.clear();
        a.setConnected(false);
        a.setConnected(true);
        a.onSensorReading(1, TagReading.good(7.0, back.minusSeconds(7200))); // a restarted PLC replaying from earlier
        assertThat(reported).isEmpty();
        assertThat(a.tick()).isTrue();
        assertThat(last().sensors()[1].value()).isEqualTo(7.0);
    }
}
