package io.wellwatch.core;

import static io.wellwatch.core.RiskLevel.HIGH;
import static io.wellwatch.core.RiskLevel.LOW;
import static io.wellwatch.core.RiskLevel.MEDIUM;
import static io.wellwatch.core.RiskLevel.NORMAL;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

class AlarmDebouncerTest {

    /** Feeds the samples and returns the debounced level after each. */
    private static List<RiskLevel> run(AlarmDebouncer d, RiskLevel... samples) {
        List<RiskLevel> levels = new ArrayList<>();
        for (RiskLevel s : samples) {
            d.offer(s);
            levels.add(d.level());
        }
        return levels;
    }

    @Test
    void oneNoisySampleDoesNotRaise() {
        AlarmDebouncer d = new AlarmDebouncer(3, 5);
        assertThat(run(d, HIGH, NORMAL, HIGH, HIGH, NORMAL, LOW)).containsOnly(NORMAL);
    }

    @Test
    void risesAfterRaiseSamplesToTheLevelThatHeld() {
        AlarmDebouncer d = new AlarmDebouncer(3, 5);
        assertThat(run(d, LOW, HIGH, MEDIUM)).containsExactly(NORMAL, NORMAL, LOW);
        assertThat(run(d, HIGH, HIGH, HIGH)).containsExactly(LOW, LOW, HIGH);
    }

    @Test
    void clearsAfterClearSamplesNormalSamples() {
        AlarmDebouncer d = new AlarmDebouncer(1, 5);
        d.offer(HIGH);
        assertThat(run(d, NORMAL, NORMAL, NORMAL, NORMAL)).containsOnly(HIGH);
        assertThat(d.offer(NORMAL)).isTrue();
        assertThat(d.level()).isEqualTo(NORMAL);
    }

    @Test
    void whileActiveTheSeverityDoesNotStepDown() {
        AlarmDebouncer d = new AlarmDebouncer(1, 2);
        d.offer(HIGH);
        assertThat(run(d, MEDIUM, MEDIUM, MEDIUM, LOW, LOW, LOW, MEDIUM)).containsOnly(HIGH);
        // A lower level between Normal samples breaks the clearing run.
        assertThat(run(d, NORMAL, LOW, NORMAL, NORMAL)).containsExactly(HIGH, HIGH, HIGH, NORMAL);
    }

    @Test
    void aSampleAtOrBelowTheLevelEndsARise() {
        AlarmDebouncer d = new AlarmDebouncer(2, 3);
        run(d, LOW, LOW);
        assertThat(run(d, HIGH, LOW, HIGH, MEDIUM, HIGH, HIGH)).containsExactly(
                LOW, LOW, LOW, MEDIUM, MEDIUM, HIGH);
    }

    @Test
    void invalidSamplesNeitherRaiseNorClearNorBreakARun() {
        AlarmDebouncer d = new AlarmDebouncer(3, 5);
        assertThat(d.offer(null)).isFalse();
        assertThat(run(d, HIGH, null, HIGH, null, null, HIGH)).containsExactly(
                NORMAL, NORMAL, NORMAL, NORMAL, NORMAL, HIGH);
        assertThat(run(d, null, null, null, null, null, null)).containsOnly(HIGH);
    }

    @Test
    void oneAndOneFollowsEverySample() {
        AlarmDebouncer d = new AlarmDebouncer(1, 1);
        assertThat(run(d, LOW, HIGH, NORMAL, MEDIUM)).containsExactly(LOW, HIGH, NORMAL, MEDIUM);
    }

    @Test
    void rejectsCountsBelowOne() {
        assertThatThrownBy(() -> new AlarmDebouncer(0, 5)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new AlarmDebouncer(3, 0)).isInstanceOf(IllegalArgumentException.class);
    }
}
