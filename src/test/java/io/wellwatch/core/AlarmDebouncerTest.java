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
    void restoredLevelClearsByTheUsualRule() {
        AlarmDebouncer d = new AlarmDebouncer(3, 5);
        d.restore(MEDIUM);
        assertThat(run(d, NORMAL, NORMAL, NORMAL, NORMAL)).containsOnly(MEDIUM);
        assertThat(run(d, NORMAL)).containsExactly(NORMAL);
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
    void fallsAfterClearSamplesToTheHighestLevelOfTheRun() {
        AlarmDebouncer d = new AlarmDebouncer(1, 5);
        d.offer(HIGH);
        assertThat(run(d, NORMAL, NORMAL, NORMAL, NORMAL)).containsOnly(HIGH);
        assertThat(d.offer(MEDIUM)).isTrue();
        assertThat(d.level()).isEqualTo(MEDIUM);
        assertThat(run(d, NORMAL, NORMAL, NORMAL, NORMAL, NORMAL)).endsWith(NORMAL);
    }

    @Test
    void aSampleAtOrAcrossTheLevelEndsTheRun() {
        AlarmDebouncer d = new AlarmDebouncer(1, 3);
        d.offer(MEDIUM);
        assertThat(run(d, LOW, LOW, MEDIUM, LOW, LOW, HIGH, LOW, LOW)).containsExactly(
                MEDIUM, MEDIUM, MEDIUM, MEDIUM, MEDIUM, HIGH, HIGH, HIGH);
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
