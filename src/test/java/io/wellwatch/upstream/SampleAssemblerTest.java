package io.wellwatch.upstream;

import io.wellwatch.config.SensorConfig;
import io.wellwatch.config.ValveConfig;
import io.wellwatch.config.WellConfig;
import io.wellwatch.core.Quality;
import io.wellwatch.core.RawSample;
import io.wellwatch.core.TagReading;
import org.eclipse.milo.opcua.stack.core.StatusCodes;
import org.eclipse.milo.opcua.stack.core.types.builtin.DataValue;
import org.eclipse.milo.opcua.stack.core.types.builtin.DateTime;
import org.eclipse.milo.opcua.stack.core.types.builtin.StatusCode;
import org.eclipse.milo.opcua.stack.core.types.builtin.Variant;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.eclipse.milo.opcua.stack.core.types.builtin.unsigned.Unsigned.uint;

/** The assembler on its own, driven by hand (no timer, no network). */
class SampleAssemblerTest {

    static final Instant T0 = Instant.parse("2013-11-04T01:41:01Z");

    static WellConfig well() {
        return WellConfig.of("W", "opc.tcp://127.0.0.1:1/plc", 100L, null,
                List.of(new SensorConfig("A", "ns=2;s=W/A", null, null, null),
                        new SensorConfig("B", "ns=2;s=W/B", null, null, null)),
                List.of(new ValveConfig("DHSV", "ns=2;s=W/ESTADO-DHSV")), null);
    }

    @Test
    void mapsDataValuesToReadings() {
        DataValue good = new DataValue(Variant.ofDouble(1.5), StatusCode.GOOD, new DateTime(T0), new DateTime(T0.plusSeconds(9)));
        assertThat(SampleAssembler.toReading(good)).isEqualTo(new TagReading(1.5, Quality.GOOD, T0));

        DataValue int32 = new DataValue(Variant.ofInt32(1), null, new DateTime(T0), null);
        assertThat(SampleAssembler.toReading(int32)).isEqualTo(new TagReading(1.0, Quality.GOOD, T0));

        DataValue unsigned = new DataValue(Variant.ofUInt32(uint(7)), StatusCode.GOOD, new DateTime(T0), null);
        assertThat(SampleAssembler.toReading(unsigned).value()).isEqualTo(7.0);

        DataValue bool = new DataValue(Variant.ofBoolean(true), StatusCode.GOOD, new DateTime(T0), null);
        assertThat(SampleAssembler.toReading(bool).value()).isEqualTo(1.0);

        DataValue text = new DataValue(Variant.ofString("open"), StatusCode.GOOD, new DateTime(T0), null);
        assertThat(SampleAssembler.toReading(text).value()).isNaN();
        assertThat(SampleAssembler.toReading(text).problem()).isEqualTo(io.wellwatch.core.InputProblem.WRONG_TYPE);

        DataValue uncertain = new DataValue(Variant.ofDouble(2.0),
                new StatusCode(StatusCodes.Uncertain_LastUsableValue), new DateTime(T0), null);
        assertThat(SampleAssembler.toReading(uncertain)).isEqualTo(new TagReading(2.0, Quality.UNCERTAIN, T0));

        // Bad: no usable value even if one is present; no source time -> server time
        DataValue bad = new DataValue(Variant.ofDouble(3.0),
                new StatusCode(StatusCodes.Bad_NoCommunication), null, new DateTime(T0.plusSeconds(1)));
        TagReading badReading = SampleAssembler.toReading(bad);
        assertThat(badReading.quality()).isEqualTo(Quality.BAD);
        assertThat(badReading.value()).isNaN();
        assertThat(badReading.sourceTime()).isEqualTo(T0.plusSeconds(1));

        DataValue noTimes = new DataValue(Variant.NULL_VALUE, StatusCode.GOOD, null, null);
        Instant before = Instant.now();
        TagReading r = SampleAssembler.toReading(noTimes);
        assertThat(r.value()).isNaN();
        assertThat(r.sourceTime()).isBetween(before, Instant.now());
    }

    @Test
    void emitsOnlyWhenConnectedAndSomethingArrived() {
        RecordingSink sink = new RecordingSink();
        SampleAssembler a = new SampleAssembler(well(), sink);

        a.onSensorReading(0, TagReading.good(1.0, T0));
        assertThat(a.tick()).as("not connected yet").isFalse();

        a.setConnected(true);
        assertThat(a.tick()).isTrue();
        RawSample first = sink.samples("W").get(0);
        assertThat(first.wellId()).isEqualTo("W");
        assertThat(first.time()).isEqualTo(T0);
        assertThat(first.sensors()).containsExactly(TagReading.good(1.0, T0), null);
        assertThat(first.valves()).containsExactly((TagReading) null);

        assertThat(a.tick()).as("nothing new").isFalse();

        a.onValveReading(0, TagReading.good(1.0, T0.plusSeconds(2)));
        a.onSensorReading(1, TagReading.good(5.0, T0.plusSeconds(1)));
        assertThat(a.tick()).isTrue();
        RawSample second = sink.samples("W").get(1);
        assertThat(second.time()).as("newest source time").isEqualTo(T0.plusSeconds(2));
        assertThat(second.sensors()).containsExactly(TagReading.good(1.0, T0), TagReading.good(5.0, T0.plusSeconds(1)));
        assertThat(second.valves()).containsExactly(TagReading.good(1.0, T0.plusSeconds(2)));
        assertThat(a.samplesEmitted()).isEqualTo(2);

        // samples are snapshots: later readings do not change them
        a.onSensorReading(0, TagReading.good(9.0, T0.plusSeconds(3)));
        assertThat(first.sensors()[0].value()).isEqualTo(1.0);
    }

    @Test
    void reportsConnectionChangesOnceAndDropsStaleFreshnessOnOutage() {
        RecordingSink sink = new RecordingSink();
        SampleAssembler a = new SampleAssembler(well(), sink);

        a.setConnected(false); // first report always goes out
        a.setConnected(false);
        a.setConnected(true);
        a.setConnected(true);
        assertThat(sink.connectionStates("W")).containsExactly(false, true);

        a.onSensorReading(0, TagReading.good(1.0, T0));
        a.setConnected(false);
        assertThat(a.tick()).as("no samples while disconnected").isFalse();
        a.setConnected(true);
        assertThat(a.tick()).as("readings from before the outage are not new").isFalse();
        a.onSensorReading(1, TagReading.good(2.0, T0.plusSeconds(5)));
        assertThat(a.tick()).isTrue();
        RawSample s = sink.samples("W").get(0);
        assertThat(s.sensors()[0]).as("kept across the outage").isEqualTo(TagReading.good(1.0, T0));
        assertThat(sink.connectionStates("W")).containsExactly(false, true, false, true);
    }

    @Test
    void sinkFailuresDoNotStopTheAssembler() {
        SampleAssembler a = new SampleAssembler(well(), new io.wellwatch.core.SampleSink() {
            @Override
            public void onSample(RawSample sample) {
                throw new IllegalStateException("boom");
            }

            @Override
            public void onConnectionState(String wellId, boolean connected) {
                throw new IllegalStateException("boom");
            }
        });
        a.setConnected(true);
        a.onSensorReading(0, TagReading.good(1.0, T0));
        assertThat(a.tick()).isTrue();
        a.onSensorReading(0, TagReading.good(2.0, T0.plusSeconds(1)));
        assertThat(a.tick()).isTrue();
    }
}
