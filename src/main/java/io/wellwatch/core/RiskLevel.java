package io.wellwatch.core;

/** Graded risk; the ordinal is the value of RiskLevelEnumeration in the information model. */
public enum RiskLevel {
    NORMAL, LOW, MEDIUM, HIGH;

    public boolean isAlarm() {
        return this != NORMAL;
    }
}
