package io.wellwatch.upstream;

import io.wellwatch.config.WellConfig;
import io.wellwatch.core.Quality;
import io.wellwatch.core.RawSample;
import io.wellwatch.core.SampleSink;
import io.wellwatch.core.TagReading;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;
import org.eclipse.milo.opcua.stack.core.types.builtin.DataValue;
import org.eclipse.milo.opcua.stack.core.types.builtin.DateTime;
import org.eclipse.milo.opcua.stack.core.types.builtin.StatusCode;
import org.eclipse.milo.opcua.stack.core.types.builtin.Variant;

import java.time.Instant;
import java.util.Objects;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * Turns the tag updates of one well into {@link RawSample}s.
 *
 * <p>It keeps the latest {@link TagReading} of every configured sensor and valve and, every
 * {@code samplingPeriodMs}, hands a sample to the {@link SampleSink}: sensors and valves in config
 * order, {@code null} where a tag has never delivered a value, {@code time} = the newest source
 * time among the readings.
 *
 * <p>A sample is emitted only if at least one reading arrived since the previous one. When the PLC
 * publishes nothing (a frozen replay, a stalled device), repeating the last sample would feed the
 * detector the same instant over and over as if it were new data; silence lets the consumer notice
 * the gap instead (its stale-data check sees source time stand still).
 *
 * <p>No samples are emitted while the connection is down. Readings survive an outage (they are
 * still the latest known values, with their old source times) but an outage drops the "new data"
 * mark, so the first sample after reconnecting needs at least one fresh reading.
 *
 * <p>Thread-safety: updates may come from any thread. Calls into the sink for this well
 * ({@code onSample}, {@code onConnectionState}) are serialized and ordered: after
 * {@code onConnectionState(id, false)} no {@code onSample} follows until {@code onConnectionState(id, true)}.
 * Exceptions thrown by the sink are logged and swallowed so the schedule keeps running.
 */
public final class SampleAssembler implements AutoCloseable {

    private static final Logger LOG = LogManager.getLogger(SampleAssembler.class);

    private final WellConfig well;
    private final SampleSink sink;

    private final Object stateLock = new Object();
    private final Object sinkLock = new Object();

    // guarded by stateLock
    private final TagReading[] sensors;
    private final TagReading[] valves;
    private boolean fresh;
    private boolean connected;
    private Boolean reported;
    private long emitted;
    /** System.nanoTime() of the newest reading, for the JFR event's tick wait. */
    private long lastArrivalNanos;

    private ScheduledFuture<?> schedule;

    public SampleAssembler(WellConfig well, SampleSink sink) {
        this.well = Objects.requireNonNull(well, "well");
        this.sink = Objects.requireNonNull(sink, "sink");
        if (well.samplingPeriodMs() <= 0) {
            throw new IllegalArgumentException("well " + well.id() + ": samplingPeriodMs must be positive, got "
                    + well.samplingPeriodMs());
        }
        this.sensors = new TagReading[well.sensors().size()];
        this.valves = new TagReading[well.valves().size()];
    }

    public WellConfig well() {
        return well;
    }

    public String wellId() {
        return well.id();
    }

    /** Starts emitting every {@code samplingPeriodMs} on {@code scheduler}. */
    public synchronized void start(ScheduledExecutorService scheduler) {
        if (schedule != null) {
            return;
        }
        long period = well.samplingPeriodMs();
        schedule = scheduler.scheduleAtFixedRate(this::tick, period, period, TimeUnit.MILLISECONDS);
    }

    /** Stops emitting. */
    @Override
    public synchronized void close() {
        if (schedule != null) {
            schedule.cancel(false);
            schedule = null;
        }
    }

    /** A new value of sensor {@code index} (position in the well's {@code sensors}). */
    public void onSensorValue(int index, DataValue value) {
        onSensorReading(index, toReading(value));
    }

    /** A new value of valve {@code index} (position in the well's {@code valves}). */
    public void onValveValue(int index, DataValue value) {
        onValveReading(index, toReading(value));
    }

    public void onSensorReading(int index, TagReading reading) {
        synchronized (stateLock) {
            sensors[index] = Objects.requireNonNull(reading);
            fresh = true;
            lastArrivalNanos = System.nanoTime();
        }
    }

    public void onValveReading(int index, TagReading reading) {
        synchronized (stateLock) {
            valves[index] = Objects.requireNonNull(reading);
            fresh = true;
            lastArrivalNanos = System.nanoTime();
        }
    }

    /**
     * The upstream connection of this well went down ({@code false}) or came back ({@code true}).
     * Reported to the sink on the first call and on every change.
     */
    public void setConnected(boolean nowConnected) {
        synchronized (sinkLock) {
            synchronized (stateLock) {
                connected = nowConnected;
                if (!nowConnected) {
                    fresh = false;
                }
                if (reported != null && reported == nowConnected) {
                    return;
                }
                reported = nowConnected;
            }
            try {
                sink.onConnectionState(well.id(), nowConnected);
            } catch (RuntimeException e) {
                LOG.error("sample sink failed on connection state {} of well {}", nowConnected, well.id(), e);
            }
        }
    }

    public boolean isConnected() {
        synchronized (stateLock) {
            return connected;
        }
    }

    /** Samples handed to the sink so far. */
    public long samplesEmitted() {
        synchronized (stateLock) {
            return emitted;
        }
    }

    /** Emits a sample if connected and something new arrived; returns whether it did. */
    boolean tick() {
        synchronized (sinkLock) {
            RawSample sample;
            SampleAssembledEvent event = new SampleAssembledEvent();
            event.begin();
            synchronized (stateLock) {
                if (!connected || !fresh) {
                    return false;
                }
                sample = new RawSample(well.id(), newestTime(), sensors.clone(), valves.clone());
                fresh = false;
                emitted++;
                event.tickWait = System.nanoTime() - lastArrivalNanos;
            }
            try {
                sink.onSample(sample);
            } catch (RuntimeException e) {
                LOG.error("sample sink failed on a sample of well {}", well.id(), e);
            }
            event.end();
            if (event.shouldCommit()) {
                event.wellId = well.id();
                event.sampleTimeMillis = sample.time() == null ? 0 : sample.time().toEpochMilli();
                event.commit();
            }
            return true;
        }
    }

    private Instant newestTime() {
        Instant newest = null;
        for (TagReading[] group : new TagReading[][]{sensors, valves}) {
            for (TagReading r : group) {
                if (r != null && r.sourceTime() != null && (newest == null || r.sourceTime().isAfter(newest))) {
                    newest = r.sourceTime();
                }
            }
        }
        return newest;
    }

    /**
     * Maps an OPC UA DataValue to a reading.
     * <ul>
     *   <li>value: a Number's doubleValue, a Boolean as 1/0, NaN for null or anything else; always
     *       NaN when the quality is BAD (a Bad value carries no usable value in OPC UA);</li>
     *   <li>quality: from the StatusCode severity (a missing StatusCode means Good);</li>
     *   <li>sourceTime: the SourceTimestamp, else the ServerTimestamp, else the time of receipt.</li>
     * </ul>
     */
    public static TagReading toReading(DataValue dv) {
        StatusCode status = dv.getStatusCode();
        Quality quality;
        if (status == null || status.isGood()) {
            quality = Quality.GOOD;
        } else if (status.isUncertain()) {
            quality = Quality.UNCERTAIN;
        } else {
            quality = Quality.BAD;
        }
        double value = quality == Quality.BAD ? Double.NaN : toDouble(dv.getValue());
        Instant time = instantOf(dv.getSourceTime());
        if (time == null) {
            time = instantOf(dv.getServerTime());
        }
        if (time == null) {
            time = Instant.now();
        }
        return new TagReading(value, quality, time);
    }

    private static double toDouble(Variant v) {
        Object o = v == null ? null : v.getValue();
        if (o instanceof Number n) {
            return n.doubleValue();
        }
        if (o instanceof Boolean b) {
            return b ? 1.0 : 0.0;
        }
        return Double.NaN;
    }

    private static Instant instantOf(DateTime t) {
        if (t == null || t.getUtcTime() <= 0) {
            return null; // absent, or the OPC UA "null" DateTime
        }
        return t.getJavaInstant();
    }
}
