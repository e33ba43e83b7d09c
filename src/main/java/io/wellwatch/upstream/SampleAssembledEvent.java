package io.wellwatch.upstream;

import jdk.jfr.Category;
import jdk.jfr.Description;
import jdk.jfr.Label;
import jdk.jfr.Name;
import jdk.jfr.StackTrace;
import jdk.jfr.Timespan;

/**
 * JFR event of one sample handed to the sink: starts when the assembler's tick takes the sample,
 * lasts as long as the sink (validation, scoring, publishing) takes, and says how long the newest
 * reading waited for the tick. Costs nothing unless a JFR recording is running
 * ({@code jcmd <pid> JFR.start}); the capacity benchmark reads it to time the pipeline's stages.
 */
@Name("io.wellwatch.SampleAssembled")
@Label("Sample assembled")
@Category({"WellWatch", "Pipeline"})
@Description("A sample handed to the detector; the duration covers validation, scoring and publishing")
@StackTrace(false)
final class SampleAssembledEvent extends jdk.jfr.Event {

    @Label("Well")
    String wellId;

    @Label("Sample time (epoch ms)")
    @Description("SourceTimestamp of the sample: the newest source time among its readings")
    long sampleTimeMillis;

    @Label("Wait for the tick")
    @Description("From the arrival of the newest reading to the tick that assembled the sample")
    @Timespan(Timespan.NANOSECONDS)
    long tickWait;
}
