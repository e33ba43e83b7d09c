package io.wellwatch.core;

import io.wellwatch.config.RiskBands;

/**
 * The one place where loss and tolerance become a risk level. With r = loss / tolerance:
 * r &lt;= low is Normal, r &lt;= medium Low, r &lt;= high Medium, above that High. Defaults 1.0 / 1.5 / 2.5:
 * anything the model cannot explain within its tolerance is at least Low; twice and a half the
 * tolerance is High.
 */
public final class RiskPolicy {

    private final RiskBands bands;

    public RiskPolicy(RiskBands bands) {
        if (!(bands.low() > 0 && bands.low() <= bands.medium() && bands.medium() <= bands.high())) {
            throw new IllegalArgumentException("risk bands must satisfy 0 < low <= medium <= high, got " + bands);
        }
        if (!(bands.deadband() >= 0 && bands.deadband() < 1)) {
            throw new IllegalArgumentException("risk deadband must be in [0, 1), got " + bands.deadband());
        }
        this.bands = bands;
    }

    public RiskLevel level(double loss, double tolerance) {
        if (!(tolerance > 0) || Double.isNaN(loss)) {
            return RiskLevel.NORMAL;
        }
        double r = loss / tolerance;
        if (r <= bands.low()) {
            return RiskLevel.NORMAL;
        }
        if (r <= bands.medium()) {
            return RiskLevel.LOW;
        }
        if (r <= bands.high()) {
            return RiskLevel.MEDIUM;
        }
        return RiskLevel.HIGH;
    }

    /**
     * The level an alarm standing at {@code held} reads from a sample judged at {@code judged}: a
     * sample below {@code held} still counts as {@code held} while its ratio is within the deadband
     * under {@code held}'s lower edge (hysteresis; rising is never delayed here).
     */
    public RiskLevel alarmLevel(RiskLevel judged, double loss, double tolerance, RiskLevel held) {
        if (judged.compareTo(held) >= 0 || held == RiskLevel.NORMAL || !(tolerance > 0) || Double.isNaN(loss)) {
            return judged;
        }
        double edge = switch (held) {
            case LOW -> bands.low();
            case MEDIUM -> bands.medium();
            default -> bands.high();
        };
        return loss / tolerance > edge * (1 - bands.deadband()) ? held : judged;
    }

    /** A sample above tolerance is Analyzing and stays out of the training window. */
    public boolean isAboveTolerance(double loss, double tolerance) {
        return tolerance > 0 && loss > tolerance * bands.low();
    }
}
