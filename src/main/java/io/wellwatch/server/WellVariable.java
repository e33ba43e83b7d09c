package io.wellwatch.server;

/**
 * The variables of WellAnomalyType, in contract order. One list serves the type's instance
 * declarations and every well instance, so the two cannot drift apart.
 */
public enum WellVariable {

    RISK_LEVEL("RiskLevel", Kind.RISK_LEVEL_ENUM, true,
            "Graded anomaly risk of the well"),
    LOSS("Loss", Kind.DOUBLE, true,
            "Mean absolute error of the latest scored window, scaled units"),
    TOLERANCE("Tolerance", Kind.DOUBLE, true,
            "Tolerance of the active model, same units as Loss"),
    MODEL_VERSION("ModelVersion", Kind.UINT32, false,
            "0 = no model yet for the current valve state; +1 on every (re)training"),
    VALVE_STATE("ValveState", Kind.STRING, false,
            "Canonical key of the current valve-state combination"),
    DATA_STATE("DataState", Kind.DATA_STATE_ENUM, false,
            "State of the latest sample"),
    SAMPLES_BUFFERED("SamplesBuffered", Kind.UINT32, false,
            "Normal samples held in the training window (0..WindowSize)"),
    WINDOW_SIZE("WindowSize", Kind.UINT32, false,
            "Capacity of the training window"),
    LAST_TRAINED_TIME("LastTrainedTime", Kind.DATE_TIME, false,
            "When the active model was trained (MinDateTime if never)"),
    TOP_CONTRIBUTOR("TopContributor", Kind.STRING, false,
            "Sensor with the largest share of the latest Loss (empty if none)");

    /** Value type of a variable; the enumerations resolve to our own DataType nodes. */
    enum Kind { RISK_LEVEL_ENUM, DATA_STATE_ENUM, DOUBLE, UINT32, STRING, DATE_TIME }

    private final String browseName;
    private final Kind kind;
    private final boolean historizing;
    private final String description;

    WellVariable(String browseName, Kind kind, boolean historizing, String description) {
        this.browseName = browseName;
        this.kind = kind;
        this.historizing = historizing;
        this.description = description;
    }

    public String browseName() {
        return browseName;
    }

    /** True for the variables the contract marks Historizing (HistoryRead access bit set). */
    public boolean historizing() {
        return historizing;
    }

    Kind kind() {
        return kind;
    }

    String description() {
        return description;
    }
}
