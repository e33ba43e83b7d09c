package io.wellwatch.server.alarm;

import io.wellwatch.core.RiskLevel;
import org.eclipse.milo.opcua.stack.core.StatusCodes;

/**
 * The state machine of one AnomalyAlarm, without OPC UA nodes: enabled, active (with the
 * debounced level), acknowledged, quality. Transitions say whether an event must be raised
 * (a disabled condition raises none except the disable event) or which status code refuses an
 * operator action.
 *
 * <p>Rules (OPC UA Part 9, single branch, no confirm):
 * <ul>
 *   <li>Active while the debounced level is Low, Medium or High; Severity 500 / 700 / 900. An
 *       inactive condition keeps the Severity of its last active level.</li>
 *   <li>Every activation (Normal to any alarm level) and every escalation while active (Low to
 *       Medium or High, Medium to High) makes AckedState false: an acknowledgement covers the
 *       severity the operator saw, so a rise to High asks for a new one. A fall does not.</li>
 *   <li>Retain = enabled and (active or not acknowledged).</li>
 *   <li>While disabled the level and quality are still tracked, silently; Enable reports them.</li>
 * </ul>
 * Not thread-safe: {@link AnomalyCondition} serialises access.
 */
final class ConditionState {

    static final int SEVERITY_LOW = 500;
    static final int SEVERITY_MEDIUM = 700;
    static final int SEVERITY_HIGH = 900;

    private boolean enabled = true;
    private RiskLevel level = RiskLevel.NORMAL;
    private boolean acked = true;
    private boolean qualityGood = true;
    private int severity = SEVERITY_LOW;
    private int lastSeverity = SEVERITY_LOW;

    static int severity(RiskLevel level) {
        return switch (level) {
            case LOW -> SEVERITY_LOW;
            case MEDIUM -> SEVERITY_MEDIUM;
            case HIGH -> SEVERITY_HIGH;
            case NORMAL -> throw new IllegalArgumentException("Normal has no alarm severity");
        };
    }

    /** The debounced level changed. @return true if an event must be raised */
    boolean level(RiskLevel newLevel) {
        if (newLevel == level) {
            return false;
        }
        boolean wasActive = isActive();
        boolean escalation = newLevel.compareTo(level) > 0;
        level = newLevel;
        if (newLevel.isAlarm()) {
            if (!wasActive || escalation) {
                acked = false;
            }
            int newSeverity = severity(newLevel);
            if (newSeverity != severity) {
                lastSeverity = severity;
                severity = newSeverity;
            }
        }
        return enabled;
    }

    /**
     * Takes back the state saved before a restart, without an event. The Severity follows an
     * active level; an inactive one keeps the saved Severity of its last active level.
     */
    void restore(RiskLevel savedLevel, boolean savedAcked, boolean savedEnabled, int savedSeverity) {
        level = savedLevel;
        acked = savedAcked;
        enabled = savedEnabled;
        if (savedLevel.isAlarm()) {
            severity = severity(savedLevel);
        } else if (savedSeverity == SEVERITY_LOW || savedSeverity == SEVERITY_MEDIUM || savedSeverity == SEVERITY_HIGH) {
            severity = savedSeverity;
        }
        lastSeverity = severity;
    }

    /** @return true if an event must be raised */
    boolean quality(boolean good) {
        if (good == qualityGood) {
            return false;
        }
        qualityGood = good;
        return enabled;
    }

    /** @return Good (raise an event) or the status code refusing the acknowledgement */
    long acknowledge(boolean eventIdCurrent) {
        if (!enabled) {
            return StatusCodes.Bad_ConditionDisabled;
        }
        if (!eventIdCurrent) {
            return StatusCodes.Bad_EventIdUnknown;
        }
        if (acked) {
            return StatusCodes.Bad_ConditionBranchAlreadyAcked;
        }
        acked = true;
        return StatusCodes.Good;
    }

    /** @return Good (raise an event) or the status code refusing the comment */
    long addComment(boolean eventIdCurrent) {
        if (!enabled) {
            return StatusCodes.Bad_ConditionDisabled;
        }
        if (!eventIdCurrent) {
            return StatusCodes.Bad_EventIdUnknown;
        }
        return StatusCodes.Good;
    }

    /** @return Good (raise an event) or Bad_ConditionAlreadyEnabled */
    long enable() {
        if (enabled) {
            return StatusCodes.Bad_ConditionAlreadyEnabled;
        }
        enabled = true;
        return StatusCodes.Good;
    }

    /** @return Good (raise the disable event, the last one until enabled) or Bad_ConditionAlreadyDisabled */
    long disable() {
        if (!enabled) {
            return StatusCodes.Bad_ConditionAlreadyDisabled;
        }
        enabled = false;
        return StatusCodes.Good;
    }

    boolean isEnabled() {
        return enabled;
    }

    boolean isActive() {
        return level.isAlarm();
    }

    boolean isAcked() {
        return acked;
    }

    boolean isQualityGood() {
        return qualityGood;
    }

    boolean retain() {
        return enabled && (isActive() || !acked);
    }

    RiskLevel level() {
        return level;
    }

    int severity() {
        return severity;
    }

    int lastSeverity() {
        return lastSeverity;
    }
}
