package io.wellwatch.server;

/**
 * Names and NodeId identifiers of the WellWatch information model
 * ({@code /work/shared/spec/information-model.md}). Every node of the model lives in
 * {@link #NAMESPACE_URI} and has a string NodeId built from its browse path, so NodeIds are
 * stable across restarts (HMI tags, and later ConditionIds, can rely on them).
 *
 * <pre>
 * Types/RiskLevelEnumeration                 DataType
 * Types/RiskLevelEnumeration/EnumStrings     its EnumStrings property
 * Types/DataStateEnumeration                 DataType
 * Types/WellAnomalyType                      ObjectType
 * Types/WellAnomalyType/&lt;Variable&gt;          its instance declarations
 * Types/ModelRetrainedEventType              ObjectType (event type)
 * Types/ModelRetrainedEventType/&lt;Field&gt;     its event field properties
 * WellWatch                                  folder under Objects
 * WellWatch/Wells                            folder
 * WellWatch/Wells/&lt;WellId&gt;                  one WellAnomalyType object per well
 * WellWatch/Wells/&lt;WellId&gt;/&lt;Variable&gt;       its variables
 * WellWatch/Wells/&lt;WellId&gt;/AnomalyAlarm    its OffNormalAlarmType condition (the ConditionId)
 * WellWatch/Wells/&lt;WellId&gt;/AnomalyAlarm/... the condition's children (Milo's NodeFactory names them)
 * WellWatch/Wells/&lt;WellId&gt;/Retrain         its Retrain method
 * Types/WellAnomalyType/AnomalyAlarm         instance declaration of the condition
 * Types/WellAnomalyType/Retrain              instance declaration of the method
 * Events/&lt;uuid&gt;                            transient event instances, deleted once fired
 * </pre>
 */
public final class WellWatchModel {

    public static final String NAMESPACE_URI = "urn:wellwatch:anomaly";

    public static final String RISK_LEVEL_ENUMERATION = "RiskLevelEnumeration";
    public static final String DATA_STATE_ENUMERATION = "DataStateEnumeration";
    public static final String WELL_ANOMALY_TYPE = "WellAnomalyType";
    public static final String MODEL_RETRAINED_EVENT_TYPE = "ModelRetrainedEventType";

    public static final String WELL_WATCH = "WellWatch";
    public static final String WELLS = "Wells";

    /** BrowseName and ConditionName of a well's OffNormalAlarmType condition. */
    public static final String ANOMALY_ALARM = "AnomalyAlarm";
    /** BrowseName of a well's Retrain method. */
    public static final String RETRAIN = "Retrain";

    /** Field names of ModelRetrainedEventType beyond BaseEventType's. */
    public static final String FIELD_WELL_ID = "WellId";
    public static final String FIELD_VALVE_STATE = "ValveState";
    public static final String FIELD_MODEL_VERSION = "ModelVersion";
    public static final String FIELD_TOLERANCE = "Tolerance";
    public static final String FIELD_TRAINING_LOSS = "TrainingLoss";
    public static final String FIELD_SAMPLE_COUNT = "SampleCount";

    /** Severity of ModelRetrained events (informational; alarms use 400 and above). */
    public static final int MODEL_RETRAINED_SEVERITY = 100;

    private static final String TYPES = "Types/";
    private static final String WELLS_PATH = WELL_WATCH + "/" + WELLS;

    private WellWatchModel() {
    }

    /** Identifier of a type node, e.g. {@code Types/WellAnomalyType}. */
    public static String typeId(String typeName) {
        return TYPES + typeName;
    }

    /** Identifier of a child of a type node, e.g. {@code Types/WellAnomalyType/Loss}. */
    public static String typeChildId(String typeName, String childName) {
        return TYPES + typeName + "/" + childName;
    }

    public static String wellWatchFolderId() {
        return WELL_WATCH;
    }

    public static String wellsFolderId() {
        return WELLS_PATH;
    }

    /** Identifier of a well object, e.g. {@code WellWatch/Wells/WELL-00001}. */
    public static String wellId(String wellId) {
        return WELLS_PATH + "/" + wellId;
    }

    /** Identifier of a well's variable, e.g. {@code WellWatch/Wells/WELL-00001/RiskLevel}. */
    public static String wellVariableId(String wellId, WellVariable variable) {
        return wellId(wellId) + "/" + variable.browseName();
    }

    /** Identifier of a well's AnomalyAlarm condition, e.g. {@code WellWatch/Wells/WELL-00001/AnomalyAlarm}. */
    public static String anomalyAlarmId(String wellId) {
        return wellId(wellId) + "/" + ANOMALY_ALARM;
    }

    /** Identifier of a well's Retrain method. */
    public static String retrainId(String wellId) {
        return wellId(wellId) + "/" + RETRAIN;
    }

    /**
     * Checks a well id before it becomes a BrowseName and part of NodeIds.
     *
     * @throws IllegalArgumentException if blank or containing '/' (the NodeId path separator)
     */
    static String requireValidWellId(String wellId) {
        if (wellId == null || wellId.isBlank()) {
            throw new IllegalArgumentException("well id must not be blank");
        }
        if (wellId.indexOf('/') >= 0) {
            throw new IllegalArgumentException("well id must not contain '/': " + wellId);
        }
        return wellId;
    }
}
