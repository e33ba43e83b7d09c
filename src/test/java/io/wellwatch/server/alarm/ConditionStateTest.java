package io.wellwatch.server.alarm;

import static org.assertj.core.api.Assertions.assertThat;

import io.wellwatch.core.RiskLevel;
import org.eclipse.milo.opcua.stack.core.StatusCodes;
import org.junit.jupiter.api.Test;

class ConditionStateTest {

    @Test
    void activationSeverityAckAndRetain() {
        ConditionState s = new ConditionState();
        assertThat(s.retain()).isFalse();
        assertThat(s.isAcked()).isTrue();

        assertThat(s.level(RiskLevel.LOW)).isTrue();
        assertThat(s.isActive()).isTrue();
        assertThat(s.isAcked()).isFalse();
        assertThat(s.severity()).isEqualTo(500);
        assertThat(s.retain()).isTrue();

        assertThat(s.level(RiskLevel.HIGH)).isTrue();
        assertThat(s.severity()).isEqualTo(900);
        assertThat(s.lastSeverity()).isEqualTo(500);
        assertThat(s.level(RiskLevel.HIGH)).as("no change, no event").isFalse();

        assertThat(s.acknowledge(true)).isEqualTo(StatusCodes.Good);
        assertThat(s.retain()).as("still active").isTrue();
        assertThat(s.level(RiskLevel.MEDIUM)).isTrue();
        assertThat(s.isAcked()).as("a fall while active keeps the acknowledgement").isTrue();
        assertThat(s.level(RiskLevel.HIGH)).isTrue();
        assertThat(s.isAcked()).as("an escalation asks for a new acknowledgement").isFalse();
        assertThat(s.acknowledge(true)).isEqualTo(StatusCodes.Good);
        assertThat(s.level(RiskLevel.MEDIUM)).isTrue();
        assertThat(s.isAcked()).isTrue();

        assertThat(s.level(RiskLevel.NORMAL)).isTrue();
        assertThat(s.isActive()).isFalse();
        assertThat(s.severity()).as("inactive keeps the last active severity").isEqualTo(700);
        assertThat(s.retain()).isFalse();

        s.level(RiskLevel.LOW);
        assertThat(s.isAcked()).as("new activation").isFalse();
    }

    @Test
    void refusals() {
        ConditionState s = new ConditionState();
        s.level(RiskLevel.HIGH);
        assertThat(s.acknowledge(false)).isEqualTo(StatusCodes.Bad_EventIdUnknown);
        assertThat(s.addComment(false)).isEqualTo(StatusCodes.Bad_EventIdUnknown);
        assertThat(s.acknowledge(true)).isEqualTo(StatusCodes.Good);
        assertThat(s.acknowledge(true)).isEqualTo(StatusCodes.Bad_ConditionBranchAlreadyAcked);
        assertThat(s.enable()).isEqualTo(StatusCodes.Bad_ConditionAlreadyEnabled);
        assertThat(s.disable()).isEqualTo(StatusCodes.Good);
        assertThat(s.disable()).isEqualTo(StatusCodes.Bad_ConditionAlreadyDisabled);
        assertThat(s.acknowledge(true)).isEqualTo(StatusCodes.Bad_ConditionDisabled);
        assertThat(s.addComment(true)).isEqualTo(StatusCodes.Bad_ConditionDisabled);
    }

    @Test
    void disabledTracksSilently() {
        ConditionState s = new ConditionState();
        s.disable();
        assertThat(s.retain()).isFalse();
        assertThat(s.level(RiskLevel.HIGH)).as("no event while disabled").isFalse();
        assertThat(s.quality(false)).isFalse();
        assertThat(s.isActive()).isTrue();
        assertThat(s.enable()).isEqualTo(StatusCodes.Good);
        assertThat(s.retain()).isTrue();
        assertThat(s.isQualityGood()).isFalse();
        assertThat(s.quality(true)).isTrue();
    }

    @Test
    void restoreTakesTheSavedStateAndTheSeverityFollowsAnActiveLevel() {
        ConditionState s = new ConditionState();
        s.restore(RiskLevel.MEDIUM, false, true, 500);
        assertThat(s.isActive()).isTrue();
        assertThat(s.severity()).isEqualTo(700);
        assertThat(s.retain()).isTrue();
        assertThat(s.level(RiskLevel.HIGH)).isTrue();
        assertThat(s.isAcked()).isFalse();

        ConditionState inactive = new ConditionState();
        inactive.restore(RiskLevel.NORMAL, false, false, 900);
        assertThat(inactive.severity()).as("inactive keeps the saved severity").isEqualTo(900);
        assertThat(inactive.retain()).as("disabled").isFalse();
        assertThat(inactive.enable()).isEqualTo(StatusCodes.Good);
        assertThat(inactive.retain()).as("unacknowledged").isTrue();
    }
}
