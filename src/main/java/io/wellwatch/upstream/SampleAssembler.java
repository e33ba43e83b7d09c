package io.wellwatch.upstream;

import io.wellwatch.config.WellConfig;
import io.wellwatch.core.InputProblem;
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
 *
 * <p>Bad readings are sorted out here, at the ingress, and reported with
 * {@link SampleSink#onBadReading}: a reading older than the tag's previous one (out of order) or
 * with the same source time and another value (duplicate timestamp) is dropped and the newer or
 * first value stands; a value that is not a number or Boolean (a string, an array) or whose source
 * time is more than {@code maxFutureMs} ahead of our clock replaces the tag's reading with an
 * unusable one, so samples are Invalid until the tag sends a usable value; more than
 * {@value #BURST_UPDATES} updates of a tag within one sampling period are a burst, coalesced to
 * the latest value as always and reported once per period. After {@value #CLOCK_JUMP_READINGS}
 * out-of-order readings in a row the tag's new time line is accepted (the PLC's clock was set
 * back), and a reconnect starts every tag's time line afresh (a restarted PLC).
 */
public final class SampleAssembler implements AutoCloseable {

    private static final Logger LOG = LogManager.getLogger(SampleAssembler.class);
    /** Updates of one tag within one sampling period above which it is a burst. */
    static final int BURST_UPDATES = 20;
    /** Consecutive out-of-order readings of a tag after which its new time line is accepted. */
    static final int CLOCK_JUMP_READINGS = 5;

    private final WellConfig well;
    private final SampleSink sink;

    private final Object stateLock = new Object();
    private final Object sinkLock = new Object();

    // guarded by stateLock
    private final TagReading[] sensors;
    private final TagReading[] valves;
    /** Per tag (sensors, then valves): updates since the last tick, and out-of-order readings in a row. */
    private final int[] updates;
    private final int[] backwards;
    /** Per tag: the next reading is not ordered after the previous one (set on reconnect). */
    private final boolean[] newTimeLine;
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
        this.updates = new int[sensors.length + valves.length];
        this.backwards = new int[sensors.length + valves.length];
        this.newTimeLine = new boolean[sensors.length + valves.length];
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
        accept(sensors, index, index, reading);
    }

    public void onValveReading(int index, TagReading reading) {
        accept(valves, index, sensors.length + index, reading);
    }

    /** Stores a reading unless it is out of order or a duplicate; reports what it drops or marks unusable. */
    private void accept(TagReading[] group, int index, int tag, TagReading reading) {
        Objects.requireNonNull(reading);
        Instant now = Instant.now();
        InputProblem problem = reading.problem();
        TagReading stored = reading;
        if (problem == null && reading.sourceTime() != null
                && reading.sourceTime().isAfter(now.plusMillis(well.maxFutureMs()))) {
            problem = InputProblem.FUTURE_TIMESTAMP;
        }
        boolean dropped = false;
        synchronized (stateLock) {
            updates[tag]++;
            TagReading previous = group[index];
            if (problem == InputProblem.FUTURE_TIMESTAMP) {
                // Unusable, at the tag's last time: the bad time must not move the sample's time (which
                // would make the other tags look stale where data time and our clock differ, as in a replay).
                stored = TagReading.unusable(problem, previous != null && previous.sourceTime() != null
                        ? previous.sourceTime() : now);
            }
            if (problem == null && !newTimeLine[tag] && previous != null && previous.problem() == null
                    && previous.sourceTime() != null && reading.sourceTime() != null) {
                int order = reading.sourceTime().compareTo(previous.sourceTime());
                if (order < 0 && ++backwards[tag] < CLOCK_JUMP_READINGS) {
                    problem = InputProblem.OUT_OF_ORDER;
                    dropped = true;
                } else if (order == 0 && !sameValue(reading, previous)) {
                    problem = InputProblem.DUPLICATE_TIMESTAMP;
                    dropped = true;
                }
            }
            if (!dropped) {
                if (backwards[tag] >= CLOCK_JUMP_READINGS) {
                    LOG.warn("well {}: tag {} keeps sending source times before {}; accepting its new time line from {}",
                            well.id(), tagName(tag), previous.sourceTime(), reading.sourceTime());
                }
                backwards[tag] = 0;
                newTimeLine[tag] = false;
                group[index] = stored;
                fresh = true;
                lastArrivalNanos = System.nanoTime();
            }
        }
        if (problem != null) {
            report(problem, tagName(tag) + ": " + describe(reading) + (dropped ? " dropped" : " unusable"));
        }
    }

    private static boolean sameValue(TagReading a, TagReading b) {
        return Double.compare(a.value(), b.value()) == 0 && a.quality() == b.quality();
    }

    private static String describe(TagReading r) {
        return (r.problem() == InputProblem.WRONG_TYPE ? "a value of the wrong type" : "value " + r.value())
                + " at source time " + r.sourceTime();
    }

    private void report(InputProblem problem, String detail) {
        try {
            sink.onBadReading(well.id(), problem, detail);
        } catch (RuntimeException e) {
            LOG.error("sample sink failed on a bad reading of well {}", well.id(), e);
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
                } else {
                    // A restarted PLC may start a new time line: the first readings after a
                    // reconnect are not compared with the ones before the outage.
                    java.util.Arrays.fill(newTimeLine, true);
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
            int burst;
            synchronized (stateLock) {
                burst = takeBurst();
                if (!connected || !fresh) {
                    return false;
                }
                sample = new RawSample(well.id(), newestTime(), sensors.clone(), valves.clone());
                fresh = false;
                emitted++;
                event.tickWait = System.nanoTime() - lastArrivalNanos;
            }
            if (burst >= 0) {
                report(InputProblem.BURST, tagName(burst) + ": more than " + BURST_UPDATES
                        + " updates in one sampling period, coalesced to the latest");
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

    /** The first tag with a burst since the last tick (-1: none); resets the update counts. Under stateLock. */
    private int takeBurst() {
        int burst = -1;
        for (int t = 0; t < updates.length; t++) {
            if (updates[t] > BURST_UPDATES && burst < 0) {
                burst = t;
            }
            updates[t] = 0;
        }
        return burst;
    }

    private String tagName(int tag) {
        return tag < sensors.length ? well.sensors().get(tag).name() : well.valves().get(tag - sensors.length).name();
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
     *   <li>value: a Number's doubleValue, a Boolean as 1/0, NaN for null; always NaN when the
     *       quality is BAD (a Bad value carries no usable value in OPC UA); anything else (a
     *       string, an array, a structure) is an unusable reading of {@link InputProblem#WRONG_TYPE};</li>
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
        Instant time = instantOf(dv.getSourceTime());
        if (time == null) {
            time = instantOf(dv.getServerTime());
        }
        if (time == null) {
            time = Instant.now();
        }
        if (quality == Quality.BAD) {
            return new TagReading(Double.NaN, quality, time);
        }
        Object o = dv.getValue() == null ? null : dv.getValue().getValue();
        if (o instanceof Number n) {
            return new TagReading(n.doubleValue(), quality, time);
        }
        if (o instanceof Boolean b) {
            return new TagReading(b ? 1.0 : 0.0, quality, time);
        }
        if (o == null) {
            return new TagReading(Double.NaN, quality, time); // a Good null: not finite, like NaN
        }
        return TagReading.unusable(InputProblem.WRONG_TYPE, time);
    }

    private static Instant instantOf(DateTime t) {
        if (t == null || t.getUtcTime() <= 0) {
            return null; // absent, or the OPC UA "null" DateTime
        }
        return t.getJavaInstant();
    }
}
