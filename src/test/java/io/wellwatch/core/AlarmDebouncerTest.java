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
        assertThat(d.offer((RiskLevel) null)).isFalse();
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

    /** An assessment of a judged sample with this loss against tolerance 1 (ratio = loss). */
    private static Assessment judged(double ratio, RiskPolicy policy) {
        return new Assessment("W", java.time.Instant.EPOCH, DataState.NORMAL, policy.level(ratio, 1.0), ratio, 1.0,
                1, "DHSV=1", 500, 500, null, "P-PDG");
    }

    private static List<RiskLevel> runRatios(AlarmDebouncer d, RiskPolicy policy, double... ratios) {
        List<RiskLevel> levels = new ArrayList<>();
        for (double r : ratios) {
            d.offer(judged(r, policy));
            levels.add(d.level());
        }
        return levels;
    }

    @Test
    void aLossHoveringJustUnderTheEdgeOfTheAlarmsLevelDoesNotLowerIt() {
        // bands 1 / 1.5 / 2.5 with deadband 0.2: High falls only under 2.0, Low only under 0.8
        RiskPolicy policy = new RiskPolicy(new io.wellwatch.config.RiskBands(1.0, 1.5, 2.5, 0.2));
        AlarmDebouncer d = new AlarmDebouncer(1, 3, policy);
        assertThat(runRatios(d, policy, 3.0)).containsExactly(HIGH);
        // Medium by the bands (2.1..2.4), but inside High's deadband: the alarm stays High
        assertThat(runRatios(d, policy, 2.4, 2.1, 2.2, 2.3, 2.05)).containsOnly(HIGH);
        // clearly Medium three times: it falls to Medium
        assertThat(runRatios(d, policy, 1.9, 1.8, 1.9)).containsExactly(HIGH, HIGH, MEDIUM);
        // back up without delay beyond the debounce (rising has no deadband)
        assertThat(runRatios(d, policy, 2.6)).containsExactly(HIGH);
        // down to Low, then Normal needs ratios under 0.8, not just under 1.0
        assertThat(runRatios(d, policy, 1.2, 1.2, 1.2)).containsExactly(HIGH, HIGH, LOW);
        assertThat(runRatios(d, policy, 0.9, 0.95, 0.85, 0.9)).containsOnly(LOW);
        assertThat(runRatios(d, policy, 0.5, 0.5, 0.5)).containsExactly(LOW, LOW, NORMAL);
    }

    @Test
    void withoutDeadbandTheSameLossesMoveTheAlarmAtEveryEdge() {
        RiskPolicy policy = new RiskPolicy(io.wellwatch.config.RiskBands.withoutDeadband(1.0, 1.5, 2.5));
        AlarmDebouncer d = new AlarmDebouncer(1, 3, policy);
        runRatios(d, policy, 3.0);
        assertThat(runRatios(d, policy, 2.4, 2.1, 2.2)).containsExactly(HIGH, HIGH, MEDIUM);
    }

    @Test
    void aDeadbandOutsideZeroToOneIsRefused() {
        assertThatThrownBy(() -> new RiskPolicy(new io.wellwatch.config.RiskBands(1.0, 1.5, 2.5, 1.0)))
                .hasMessageContaining("deadband");
    }
}
