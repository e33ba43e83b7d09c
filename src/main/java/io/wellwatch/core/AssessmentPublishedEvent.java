package io.wellwatch.core;

import jdk.jfr.Category;
import jdk.jfr.Description;
import jdk.jfr.Label;
import jdk.jfr.Name;
import jdk.jfr.StackTrace;

/**
 * JFR event around handing one assessment to the listeners (the OPC UA address space, the alarm,
 * the history recorder). Costs nothing unless a JFR recording is running; the capacity benchmark
 * reads it to separate scoring from publishing.
 */
@Name("io.wellwatch.AssessmentPublished")
@Label("Assessment published")
@Category({"WellWatch", "Pipeline"})
@Description("An assessment handed to the detector's listeners")
@StackTrace(false)
final class AssessmentPublishedEvent extends jdk.jfr.Event {

    @Label("Well")
    String wellId;

    @Label("Sample time (epoch ms)")
    long sampleTimeMillis;
}
