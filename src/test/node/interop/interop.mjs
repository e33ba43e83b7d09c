// Interoperability test of WellWatch with a client we did not write: node-opcua.
//
//   node interop.mjs <endpointUrl> --well WELL-00002 --data-from <ISO> --data-to <ISO>
//                    [--pki <dir>] [--timeout-s 90] [--alarms]
//
// Every check prints one line "PASS <name>" or "FAIL <name>: <why>"; the exit code is 1 if any
// check failed (or none ran), 0 otherwise.
//
// The replay of the simulated PLC is driven by the caller (NodeOpcuaInteropTest): the script
// prints "NEED <phase>" on stdout and waits for the line "OK <phase>" on stdin.
//   NEED replay   start replaying the well's recording (held at its first row until then), or resume it after a hold
//   NEED hold     pause the replay and wait until no training is running (the well's state is frozen)
//   NEED fault    (--alarms) replay until the labelled fault of the recording has begun
//
// History checks (HistoryRead raw of Loss, events of the well) run last, with the replay held;
// the AnomalyAlarm event in history is expected only with --alarms.
//
// Alarm checks (Retrain, AnomalyAlarm, Acknowledge, ConditionRefresh) run only with --alarms:
// they need branch `alarms` (AnomalyAlarm condition, Retrain method, ConditionRefresh). Once it
// has landed, NodeOpcuaInteropTest passes --alarms and nothing else changes here.

import readline from "node:readline";
import os from "node:os";
import path from "node:path";
import {
    AttributeIds,
    BrowseDirection,
    ClientSubscription,
    DataChangeFilter,
    DataChangeTrigger,
    DataType,
    EventFilter,
    HistoryReadRequest,
    LocalizedText,
    MessageSecurityMode,
    NodeClass,
    OPCUACertificateManager,
    OPCUAClient,
    QualifiedName,
    ReadEventDetails,
    ReadRawModifiedDetails,
    SecurityPolicy,
    SimpleAttributeOperand,
    StatusCodes,
    TimestampsToReturn,
    resolveNodeId,
} from "node-opcua";

const NAMESPACE_URI = "urn:wellwatch:anomaly";

// Namespace 0 nodes used by the checks.
const NS0 = {
    ObjectsFolder: "i=85",
    Server: "i=2253",
    BaseObjectType: "i=58",
    BaseEventType: "i=2041",
    Enumeration: "i=29",
    HasSubtype: "i=45",
    HasNotifier: "i=48",
    HasProperty: "i=46",
    HasTypeDefinition: "i=40",
    HierarchicalReferences: "i=33",
    Double: "i=11",
    UInt32: "i=7",
    String: "i=12",
    DateTime: "i=13",
    // Alarms & Conditions (Part 9)
    ConditionType: "i=2782",
    AcknowledgeableConditionType: "i=2881",
    AlarmConditionType: "i=2915",
    OffNormalAlarmType: "i=10637",
    ConditionRefresh: "i=3875",
    Acknowledge: "i=9111",
    RefreshStartEventType: "i=2787",
    RefreshEndEventType: "i=2788",
};

const ACCESS_CURRENT_READ = 0x01;
const ACCESS_CURRENT_WRITE = 0x02;
const EVENT_NOTIFIER_SUBSCRIBE = 0x01;
const EVENT_NOTIFIER_HISTORY_READ = 0x04;

/** The contract's variables of a well: BrowseName -> expected DataType. */
const CONTRACT_VARIABLES = {
    RiskLevel: { enumeration: "RiskLevelEnumeration" },
    Loss: { builtin: NS0.Double },
    Tolerance: { builtin: NS0.Double },
    ModelVersion: { builtin: NS0.UInt32 },
    ValveState: { builtin: NS0.String },
    DataState: { enumeration: "DataStateEnumeration" },
    SamplesBuffered: { builtin: NS0.UInt32 },
    WindowSize: { builtin: NS0.UInt32 },
    LastTrainedTime: { builtin: NS0.DateTime },
    TopContributor: { builtin: NS0.String },
};

const CONTRACT_ENUMERATIONS = {
    RiskLevelEnumeration: ["Normal", "Low", "Medium", "High"],
    DataStateEnumeration: ["Normal", "Analyzing", "Invalid"],
};

/** ModelRetrainedEventType fields beyond BaseEventType's, with their Variant DataTypes. */
const RETRAINED_FIELDS = {
    WellId: DataType.String,
    ValveState: DataType.String,
    ModelVersion: DataType.UInt32,
    Tolerance: DataType.Double,
    TrainingLoss: DataType.Double,
    SampleCount: DataType.UInt32,
};

const ALARM_SEVERITY = { 1: 500, 2: 700, 3: 900 }; // RiskLevel Low/Medium/High

// ---------------------------------------------------------------------------------- arguments

function parseArgs(argv) {
    const args = { alarms: false, timeoutS: 90, well: "WELL-00002" };
    const rest = [...argv];
    while (rest.length > 0) {
        const a = rest.shift();
        switch (a) {
            case "--alarms": args.alarms = true; break;
            case "--well": args.well = rest.shift(); break;
            case "--data-from": args.dataFrom = new Date(rest.shift()); break;
            case "--data-to": args.dataTo = new Date(rest.shift()); break;
            case "--pki": args.pki = rest.shift(); break;
            case "--timeout-s": args.timeoutS = Number(rest.shift()); break;
            default:
                if (a.startsWith("--") || args.endpointUrl) {
                    throw new Error(`unknown argument ${a}`);
                }
                args.endpointUrl = a;
        }
    }
    if (!args.endpointUrl || !args.dataFrom || !args.dataTo
        || isNaN(args.dataFrom.getTime()) || isNaN(args.dataTo.getTime())) {
        throw new Error("usage: node interop.mjs <endpointUrl> --data-from ISO --data-to ISO "
            + "[--well ID] [--pki DIR] [--timeout-s N] [--alarms]");
    }
    return args;
}

// ---------------------------------------------------------------------------------- reporting

let passed = 0;
let failed = 0;

function check(name, ok, detail = "") {
    if (ok) {
        passed++;
        console.log(`PASS ${name}${detail ? ` (${detail})` : ""}`);
    } else {
        failed++;
        console.log(`FAIL ${name}${detail ? `: ${detail}` : ""}`);
    }
    return ok;
}

/** Runs a group of checks; an exception is one FAIL, not the end of the run. */
async function section(name, fn) {
    console.log(`--- ${name}`);
    try {
        await fn();
    } catch (e) {
        check(`${name}: no error`, false, e && e.stack ? e.stack.split("\n").slice(0, 3).join(" | ") : String(e));
    }
}

/** node-opcua decodes Int64 as [high, low] 32-bit words. */
const int64 = (v) => (Array.isArray(v) ? v[0] * 2 ** 32 + v[1] : Number(v));

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

/** Polls {@code probe} until it returns something truthy, or null after timeoutMs. */
async function waitFor(probe, timeoutMs) {
    const end = Date.now() + timeoutMs;
    for (;;) {
        const v = probe();
        if (v) {
            return v;
        }
        if (Date.now() > end) {
            return null;
        }
        await sleep(100);
    }
}

// ---------------------------------------------------------------------------------- caller protocol

const stdinLines = [];
const stdinWaiters = [];
readline.createInterface({ input: process.stdin }).on("line", (line) => {
    const w = stdinWaiters.shift();
    if (w) {
        w(line.trim());
    } else {
        stdinLines.push(line.trim());
    }
});

/** Asks the caller for a phase of the replay and waits for its "OK <phase>". */
async function need(phase, timeoutMs) {
    console.log(`NEED ${phase}`);
    const line = stdinLines.length > 0 ? stdinLines.shift() : await Promise.race([
        new Promise((r) => stdinWaiters.push(r)),
        sleep(timeoutMs).then(() => null),
    ]);
    if (line !== `OK ${phase}`) {
        throw new Error(`caller answered ${JSON.stringify(line)} to NEED ${phase}`);
    }
}

// ---------------------------------------------------------------------------------- address-space helpers

const same = (a, b) => a != null && b != null && resolveNodeId(a).toString() === resolveNodeId(b).toString();

async function translate(session, startNode, names, referenceTypeId = NS0.HierarchicalReferences) {
    const result = await session.translateBrowsePath({
        startingNode: resolveNodeId(startNode),
        relativePath: {
            elements: names.map(([namespaceIndex, name]) => ({
                referenceTypeId: resolveNodeId(referenceTypeId),
                isInverse: false,
                includeSubtypes: true,
                targetName: new QualifiedName({ namespaceIndex, name }),
            })),
        },
    });
    if (result.statusCode.value !== StatusCodes.Good.value || !result.targets || result.targets.length === 0) {
        return { status: result.statusCode, nodeId: null };
    }
    return { status: result.statusCode, nodeId: result.targets[0].targetId.toString() };
}

async function browse(session, nodeId, referenceTypeId, browseDirection) {
    const result = await session.browse({
        nodeId: resolveNodeId(nodeId),
        referenceTypeId: resolveNodeId(referenceTypeId),
        browseDirection,
        includeSubtypes: true,
        nodeClassMask: 0,
        resultMask: 63,
    });
    return result.references || [];
}

async function readAttr(session, nodeId, attributeId) {
    return session.read({ nodeId: resolveNodeId(nodeId), attributeId });
}

async function superTypeOf(session, typeId) {
    const refs = await browse(session, typeId, NS0.HasSubtype, BrowseDirection.Inverse);
    return refs.length === 1 ? refs[0].nodeId.toString() : `${refs.length} supertypes`;
}

// ---------------------------------------------------------------------------------- event fields

/** One select clause: a field name for the report, its type definition, browse path and attribute. */
function field(name, typeDefinitionId, browsePath, attributeId = AttributeIds.Value) {
    return { name, typeDefinitionId, browsePath, attributeId };
}

function selectClauses(ns, alarms) {
    const base = (n) => field(n, NS0.BaseEventType, [[0, n]]);
    const clauses = [
        base("EventId"), base("EventType"), base("SourceNode"), base("SourceName"),
        base("Time"), base("Message"), base("Severity"),
    ];
    const retrainedType = `ns=${ns};s=Types/ModelRetrainedEventType`; // only a hint; resolved below
    for (const n of Object.keys(RETRAINED_FIELDS)) {
        clauses.push(field(n, retrainedType, [[ns, n]]));
    }
    if (alarms) {
        clauses.push(
            field("ConditionId", NS0.ConditionType, [], AttributeIds.NodeId),
            field("ConditionName", NS0.ConditionType, [[0, "ConditionName"]]),
            field("Retain", NS0.ConditionType, [[0, "Retain"]]),
            field("Comment", NS0.ConditionType, [[0, "Comment"]]),
            field("ActiveState/Id", NS0.AlarmConditionType, [[0, "ActiveState"], [0, "Id"]]),
            field("AckedState/Id", NS0.AcknowledgeableConditionType, [[0, "AckedState"], [0, "Id"]]),
        );
    }
    return clauses;
}

function eventFilter(clauses) {
    return new EventFilter({
        selectClauses: clauses.map((c) => new SimpleAttributeOperand({
            typeDefinitionId: resolveNodeId(c.typeDefinitionId),
            browsePath: c.browsePath.map(([namespaceIndex, name]) => new QualifiedName({ namespaceIndex, name })),
            attributeId: c.attributeId,
        })),
        whereClause: { elements: [] },
    });
}

// ---------------------------------------------------------------------------------- the checks

async function main() {
    const args = parseArgs(process.argv.slice(2));
    const timeoutMs = args.timeoutS * 1000;
    console.log(`node-opcua interop against ${args.endpointUrl}, well ${args.well}, `
        + `data ${args.dataFrom.toISOString()} .. ${args.dataTo.toISOString()}${args.alarms ? ", with alarms" : ""}`);

    const certificateManager = new OPCUACertificateManager({
        rootFolder: args.pki || path.join(os.tmpdir(), "wellwatch-interop-pki"),
        automaticallyAcceptUnknownCertificate: true,
    });
    const client = OPCUAClient.create({
        applicationName: "WellWatchInteropTest",
        applicationUri: "urn:wellwatch:interop-test",
        clientCertificateManager: certificateManager,
        securityMode: MessageSecurityMode.None,
        securityPolicy: SecurityPolicy.None,
        endpointMustExist: false,
        keepSessionAlive: true,
        requestedSessionTimeout: 300_000,
        connectionStrategy: { maxRetry: 3, initialDelay: 500, maxDelay: 2000 },
    });

    const ctx = { args, timeoutMs };
    try {
        await section("connect", async () => {
            await client.connect(args.endpointUrl);
            ctx.session = await client.createSession(); // anonymous
            check("connect with SecurityMode None and an anonymous session", true, args.endpointUrl);
        });
        if (!ctx.session) {
            return;
        }
        await section("namespace and browse path", () => checkAddressSpace(ctx));
        if (!ctx.wellNode) {
            return;
        }
        await section("types", () => checkTypes(ctx));
        await section("variables of the contract", () => checkVariables(ctx));
        await section("event notifiers", () => checkNotifiers(ctx));
        await section("subscriptions", () => subscribe(ctx));
        if (!ctx.subscription) {
            return;
        }
        await section("replay, data changes and the first ModelRetrained event", () => checkFirstTraining(ctx));
        await section("held replay: no invented samples, then data again", () => checkHoldAndResume(ctx));
        if (args.alarms) {
            await section("Retrain method", () => checkRetrainMethod(ctx));
            await section("AnomalyAlarm on the fault", () => checkFaultAlarm(ctx));
            await section("Acknowledge", () => checkAcknowledge(ctx));
            await section("ConditionRefresh", () => checkConditionRefresh(ctx));
        }
        await section("history", () => checkHistory(ctx));
    } finally {
        try {
            if (ctx.subscription) {
                await ctx.subscription.terminate();
            }
            if (ctx.session) {
                await ctx.session.close();
            }
            await client.disconnect();
        } catch (e) {
            console.log(`(closing: ${e.message})`);
        }
    }
}

async function checkAddressSpace(ctx) {
    const { session, args } = ctx;
    const namespaces = await session.readNamespaceArray();
    ctx.ns = namespaces.indexOf(NAMESPACE_URI);
    check(`NamespaceArray contains ${NAMESPACE_URI}`, ctx.ns > 0, `index ${ctx.ns} of ${JSON.stringify(namespaces)}`);
    if (ctx.ns <= 0) {
        return;
    }
    const ns = ctx.ns;
    const wellWatch = await translate(session, NS0.ObjectsFolder, [[ns, "WellWatch"]]);
    const wells = await translate(session, NS0.ObjectsFolder, [[ns, "WellWatch"], [ns, "Wells"]]);
    const well = await translate(session, NS0.ObjectsFolder, [[ns, "WellWatch"], [ns, "Wells"], [ns, args.well]]);
    check(`TranslateBrowsePath Objects/WellWatch/Wells/${args.well}`, well.nodeId != null,
        `${well.status.name} -> ${well.nodeId}`);
    ctx.wellWatchNode = wellWatch.nodeId;
    ctx.wellsNode = wells.nodeId;
    ctx.wellNode = well.nodeId;
    if (well.nodeId) {
        const nodeClass = await readAttr(session, well.nodeId, AttributeIds.NodeClass);
        check("the well is an Object", nodeClass.value.value === NodeClass.Object, `NodeClass ${nodeClass.value.value}`);
    }
}

async function checkTypes(ctx) {
    const { session, ns } = ctx;
    // Found the way a generic client finds them: as subtypes of their base types.
    for (const [name, values] of Object.entries(CONTRACT_ENUMERATIONS)) {
        const t = await translate(session, NS0.Enumeration, [[ns, name]], NS0.HasSubtype);
        ctx[name] = t.nodeId;
        if (!check(`${name} is a subtype of Enumeration`, t.nodeId != null, `${t.status.name} -> ${t.nodeId}`)) {
            continue;
        }
        const nodeClass = await readAttr(session, t.nodeId, AttributeIds.NodeClass);
        check(`${name} is a DataType`, nodeClass.value.value === NodeClass.DataType, `NodeClass ${nodeClass.value.value}`);
        check(`${name} supertype is Enumeration (i=29)`, same(await superTypeOf(session, t.nodeId), NS0.Enumeration));
        const es = await translate(session, t.nodeId, [[0, "EnumStrings"]], NS0.HasProperty);
        if (check(`${name} has EnumStrings`, es.nodeId != null, es.status.name)) {
            const v = await readAttr(session, es.nodeId, AttributeIds.Value);
            const texts = Array.from(v.value.value || [], (lt) => lt.text);
            check(`${name}.EnumStrings = [${values}]`, JSON.stringify(texts) === JSON.stringify(values),
                `got ${JSON.stringify(texts)} (${DataType[v.value.dataType]})`);
        }
        // OPC UA 1.04 clients read the DataTypeDefinition instead.
        const def = await readAttr(session, t.nodeId, AttributeIds.DataTypeDefinition);
        const fields = def.value.value && def.value.value.fields
            ? def.value.value.fields.map((f) => `${int64(f.value)}:${f.name}`) : null;
        check(`${name}.DataTypeDefinition is an EnumDefinition of [${values}]`,
            JSON.stringify(fields) === JSON.stringify(values.map((n, i) => `${i}:${n}`)),
            `${def.statusCode.name} ${JSON.stringify(fields)}`);
    }

    const wellType = await translate(session, NS0.BaseObjectType, [[ns, "WellAnomalyType"]], NS0.HasSubtype);
    ctx.wellAnomalyType = wellType.nodeId;
    if (check("WellAnomalyType is a subtype of BaseObjectType", wellType.nodeId != null, wellType.status.name)) {
        const nodeClass = await readAttr(session, wellType.nodeId, AttributeIds.NodeClass);
        check("WellAnomalyType is an ObjectType", nodeClass.value.value === NodeClass.ObjectType);
        check("WellAnomalyType supertype is BaseObjectType (i=58)", same(await superTypeOf(session, wellType.nodeId), NS0.BaseObjectType));
        const typeDef = await browse(session, ctx.wellNode, NS0.HasTypeDefinition, BrowseDirection.Forward);
        check("the well's TypeDefinition is WellAnomalyType",
            typeDef.length === 1 && same(typeDef[0].nodeId, wellType.nodeId), typeDef.map((r) => r.nodeId.toString()).join(","));
    }

    const eventType = await translate(session, NS0.BaseEventType, [[ns, "ModelRetrainedEventType"]], NS0.HasSubtype);
    ctx.modelRetrainedEventType = eventType.nodeId;
    if (check("ModelRetrainedEventType is a subtype of BaseEventType", eventType.nodeId != null, eventType.status.name)) {
        const nodeClass = await readAttr(session, eventType.nodeId, AttributeIds.NodeClass);
        check("ModelRetrainedEventType is an ObjectType", nodeClass.value.value === NodeClass.ObjectType);
        check("ModelRetrainedEventType supertype is BaseEventType (i=2041)",
            same(await superTypeOf(session, eventType.nodeId), NS0.BaseEventType));
        for (const [name, dataType] of Object.entries(RETRAINED_FIELDS)) {
            const p = await translate(session, eventType.nodeId, [[ns, name]], NS0.HasProperty);
            const dt = p.nodeId ? await readAttr(session, p.nodeId, AttributeIds.DataType) : null;
            check(`ModelRetrainedEventType has property ${name} of DataType ${DataType[dataType]}`,
                dt != null && same(dt.value.value, `i=${dataType}`), p.nodeId ? String(dt.value.value) : p.status.name);
        }
    }
}

async function checkVariables(ctx) {
    const { session, ns, wellNode } = ctx;
    ctx.variables = {};
    for (const [name, expected] of Object.entries(CONTRACT_VARIABLES)) {
        const v = await translate(session, wellNode, [[ns, name]]);
        if (!check(`${name} exists under the well`, v.nodeId != null, v.status.name)) {
            continue;
        }
        ctx.variables[name] = v.nodeId;
        const [nodeClass, dataType, valueRank, access, userAccess] = await session.read(
            [AttributeIds.NodeClass, AttributeIds.DataType, AttributeIds.ValueRank, AttributeIds.AccessLevel,
                AttributeIds.UserAccessLevel].map((attributeId) => ({ nodeId: resolveNodeId(v.nodeId), attributeId })));
        check(`${name} is a scalar Variable`, nodeClass.value.value === NodeClass.Variable && valueRank.value.value === -1,
            `NodeClass ${nodeClass.value.value}, ValueRank ${valueRank.value.value}`);
        const want = expected.enumeration ? ctx[expected.enumeration] : expected.builtin;
        check(`${name} DataType is ${expected.enumeration || expected.builtin}`, same(dataType.value.value, want),
            `got ${dataType.value.value}`);
        if (expected.enumeration) {
            const bn = await readAttr(session, dataType.value.value, AttributeIds.BrowseName);
            check(`${name} DataType BrowseName is ${ns}:${expected.enumeration}`,
                bn.value.value.namespaceIndex === ns && bn.value.value.name === expected.enumeration, bn.value.value.toString());
        }
        for (const [label, a] of [["AccessLevel", access], ["UserAccessLevel", userAccess]]) {
            const bits = a.value.value;
            check(`${name} ${label} has CurrentRead and not CurrentWrite`,
                (bits & ACCESS_CURRENT_READ) !== 0 && (bits & ACCESS_CURRENT_WRITE) === 0, `0x${bits.toString(16)}`);
        }
    }
    for (const [name, value] of [["Loss", { dataType: DataType.Double, value: 1.5 }],
        ["ModelVersion", { dataType: DataType.UInt32, value: 99 }],
        ["RiskLevel", { dataType: DataType.Int32, value: 3 }]]) {
        if (!ctx.variables[name]) {
            continue;
        }
        const status = await session.write({ nodeId: resolveNodeId(ctx.variables[name]), attributeId: AttributeIds.Value, value: { value } });
        check(`a write to ${name} is refused`, status.isNotGood(), status.name);
    }
}

async function checkNotifiers(ctx) {
    const { session, wellNode, wellWatchNode, wellsNode } = ctx;
    const wellNotifier = (await readAttr(session, wellNode, AttributeIds.EventNotifier)).value.value;
    check("the well's EventNotifier is SubscribeToEvents|HistoryRead",
        wellNotifier === (EVENT_NOTIFIER_SUBSCRIBE | EVENT_NOTIFIER_HISTORY_READ), `0x${wellNotifier.toString(16)}`);
    for (const [name, node] of [["WellWatch", wellWatchNode], ["Wells", wellsNode]]) {
        const n = (await readAttr(session, node, AttributeIds.EventNotifier)).value.value;
        check(`${name} EventNotifier has SubscribeToEvents`, (n & EVENT_NOTIFIER_SUBSCRIBE) !== 0, `0x${n.toString(16)}`);
    }
    for (const [from, to, name] of [[NS0.Server, wellWatchNode, "Server HasNotifier WellWatch"],
        [wellWatchNode, wellsNode, "WellWatch HasNotifier Wells"],
        [wellsNode, wellNode, `Wells HasNotifier ${ctx.args.well}`]]) {
        const refs = await browse(session, from, NS0.HasNotifier, BrowseDirection.Forward);
        check(name, refs.some((r) => same(r.nodeId, to)), refs.map((r) => r.nodeId.toString()).join(", ") || "no HasNotifier");
    }
}

async function subscribe(ctx) {
    const { session, ns } = ctx;
    const subscription = await session.createSubscription2({
        requestedPublishingInterval: 100,
        requestedLifetimeCount: 6000,
        requestedMaxKeepAliveCount: 50,
        maxNotificationsPerPublish: 0,
        publishingEnabled: true,
        priority: 1,
    });
    check("create a subscription", subscription.subscriptionId > 0, `id ${subscription.subscriptionId}`);
    ctx.subscription = subscription;

    ctx.changes = {};
    for (const name of ["RiskLevel", "ModelVersion", "Loss", "Tolerance", "LastTrainedTime"]) {
        const list = [];
        ctx.changes[name] = list;
        const item = await subscription.monitor(
            { nodeId: resolveNodeId(ctx.variables[name]), attributeId: AttributeIds.Value },
            {
                samplingInterval: 0,
                queueSize: 1000,
                discardOldest: true,
                filter: new DataChangeFilter({ trigger: DataChangeTrigger.StatusValueTimestamp }),
            },
            TimestampsToReturn.Both);
        item.on("changed", (dv) => list.push(dv));
        check(`monitor ${name}`, item.statusCode.isGood(), item.statusCode.name);
    }

    // Events on the Server object: everything the server raises, one select clause per field.
    ctx.clauses = selectClauses(ns, ctx.args.alarms);
    for (const c of ctx.clauses) {
        if (c.typeDefinitionId.startsWith(`ns=${ns};s=Types/ModelRetrainedEventType`)) {
            c.typeDefinitionId = ctx.modelRetrainedEventType; // the node found by browsing, not a guess
        }
    }
    ctx.events = [];
    const eventItem = await subscription.monitor(
        { nodeId: resolveNodeId(NS0.Server), attributeId: AttributeIds.EventNotifier },
        { samplingInterval: 0, queueSize: 1000, discardOldest: false, filter: eventFilter(ctx.clauses) },
        TimestampsToReturn.Neither);
    eventItem.on("changed", (variants) => {
        const e = { received: Date.now(), variants: {} };
        ctx.clauses.forEach((c, i) => {
            e.variants[c.name] = variants[i];
            e[c.name] = variants[i] ? variants[i].value : null;
        });
        ctx.events.push(e);
        const type = e.EventType ? e.EventType.toString() : "?";
        console.log(`event ${type} from ${e.SourceName}: severity ${e.Severity}, "${e.Message && e.Message.text}"`);
    });
    check("monitor events on the Server object (i=2253)", eventItem.statusCode.isGood(), eventItem.statusCode.name);
    const results = eventItem.filterResult && eventItem.filterResult.selectClauseResults;
    const bad = (results || []).map((s, i) => [ctx.clauses[i].name, s]).filter(([, s]) => s.isNotGood());
    check("the server accepts every select clause", bad.length === 0,
        bad.map(([n, s]) => `${n}: ${s.name}`).join(", ") || `${ctx.clauses.length} clauses`);
}

function inDataRange(ctx, dv) {
    const t = dv.sourceTimestamp ? dv.sourceTimestamp.getTime() : NaN;
    return t >= ctx.args.dataFrom.getTime() && t <= ctx.args.dataTo.getTime();
}

function retrainedEvents(ctx) {
    return ctx.events.filter((e) => same(e.EventType, ctx.modelRetrainedEventType));
}

/** Checks one ModelRetrained event's fields against the contract and the well's variables. */
async function checkRetrainedEvent(ctx, e, label) {
    const { args } = ctx;
    check(`${label}: EventId is a non-empty ByteString`, e.variants.EventId.dataType === DataType.ByteString
        && e.EventId && e.EventId.length > 0, e.EventId ? e.EventId.toString("hex") : "null");
    check(`${label}: SourceNode is the well`, same(e.SourceNode, ctx.wellNode), String(e.SourceNode));
    check(`${label}: SourceName is ${args.well}`, e.SourceName === args.well, e.SourceName);
    check(`${label}: Severity 100`, e.Severity === 100 && e.variants.Severity.dataType === DataType.UInt16, String(e.Severity));
    check(`${label}: Time is a DateTime`, e.Time instanceof Date && !isNaN(e.Time.getTime()), String(e.Time));
    check(`${label}: Message names the well`, !!(e.Message && e.Message.text && e.Message.text.includes(args.well)),
        e.Message && e.Message.text);
    for (const [name, dataType] of Object.entries(RETRAINED_FIELDS)) {
        const v = e.variants[name];
        check(`${label}: ${name} is a ${DataType[dataType]}`, v != null && v.dataType === dataType,
            v ? `${DataType[v.dataType]} ${v.value}` : "missing");
    }
    check(`${label}: WellId = ${args.well}`, e.WellId === args.well, e.WellId);
    check(`${label}: ModelVersion >= 1`, e.ModelVersion >= 1, String(e.ModelVersion));
    check(`${label}: Tolerance finite and > 0`, Number.isFinite(e.Tolerance) && e.Tolerance > 0, String(e.Tolerance));
    check(`${label}: TrainingLoss finite and >= 0`, Number.isFinite(e.TrainingLoss) && e.TrainingLoss >= 0, String(e.TrainingLoss));
    const windowSize = (await readAttr(ctx.session, ctx.variables.WindowSize, AttributeIds.Value)).value.value;
    check(`${label}: 0 < SampleCount <= WindowSize`, e.SampleCount > 0 && e.SampleCount <= windowSize,
        `${e.SampleCount} of ${windowSize}`);
    // The variables follow the event once the new model is swapped in (at the next sample).
    const published = await waitFor(() => ctx.changes.ModelVersion.find((dv) => dv.value.value === e.ModelVersion), 15_000);
    check(`${label}: ModelVersion ${e.ModelVersion} is published as a data change`, published != null);
    const tolerance = await waitFor(() => ctx.changes.Tolerance.find((dv) => dv.value.value === e.Tolerance), 15_000);
    check(`${label}: the Tolerance variable takes the event's Tolerance`, tolerance != null, String(e.Tolerance));
    const trainedTime = await waitFor(() => ctx.changes.LastTrainedTime.find((dv) => dv.value.value instanceof Date
        && e.Time instanceof Date && dv.value.value.getTime() === e.Time.getTime()), 15_000);
    check(`${label}: the LastTrainedTime variable takes the event's Time`, trainedTime != null,
        e.Time instanceof Date ? e.Time.toISOString() : String(e.Time));
    const valveState = (await readAttr(ctx.session, ctx.variables.ValveState, AttributeIds.Value)).value.value;
    check(`${label}: ValveState = the well's ValveState`, e.ValveState === valveState, `${e.ValveState} vs ${valveState}`);
}

async function checkFirstTraining(ctx) {
    const { timeoutMs } = ctx;
    const initial = await waitFor(() => ctx.changes.ModelVersion[0], 5_000);
    check("initial ModelVersion notification is UInt32 0 (no model yet)", initial && initial.value.value === 0
        && initial.value.dataType === DataType.UInt32, initial ? `${initial.value.value}` : "none");

    await need("replay", 30_000);
    const start = Date.now();
    const event = await waitFor(() => retrainedEvents(ctx)[0], timeoutMs);
    if (!check("a ModelRetrained event arrives after the first training", event != null,
        event ? `after ${((Date.now() - start) / 1000).toFixed(1)} s` : `none within ${timeoutMs / 1000} s`)) {
        return;
    }
    await checkRetrainedEvent(ctx, event, "ModelRetrained");
    check("the first ModelRetrained event has ModelVersion 1", event.ModelVersion === 1, String(event.ModelVersion));

    // Let a few samples be scored by the new model.
    await waitFor(() => ctx.changes.Loss.filter((dv) => dv.statusCode.isGood()).length >= 20, 15_000);
    for (const name of ["RiskLevel", "ModelVersion", "Loss"]) {
        const data = ctx.changes[name].filter((dv) => dv.statusCode.isGood());
        const outside = data.filter((dv) => !inDataRange(ctx, dv));
        check(`${name}: Good data changes received`, data.length > 0, `${data.length} of ${ctx.changes[name].length}`);
        check(`${name}: every Good SourceTimestamp lies in the replayed data`, data.length > 0 && outside.length === 0,
            outside.length ? `${outside.length} outside, e.g. ${outside[0].sourceTimestamp.toISOString()}` : "");
        check(`${name}: ServerTimestamps present`, data.every((dv) => dv.serverTimestamp instanceof Date));
    }
    const levels = ctx.changes.RiskLevel.filter((dv) => dv.statusCode.isGood());
    check("RiskLevel values are Int32 enumeration values 0..3",
        levels.length > 0 && levels.every((dv) => dv.value.dataType === DataType.Int32 && dv.value.value >= 0 && dv.value.value <= 3),
        [...new Set(levels.map((dv) => `${DataType[dv.value.dataType]}:${dv.value.value}`))].join(","));
    const losses = ctx.changes.Loss.filter((dv) => dv.statusCode.isGood());
    check("Loss values are finite Doubles >= 0",
        losses.length > 0 && losses.every((dv) => dv.value.dataType === DataType.Double && dv.value.value >= 0));
}

const latestSource = (list) => Math.max(0, ...list.filter((dv) => dv.statusCode.isGood() && dv.sourceTimestamp)
    .map((dv) => dv.sourceTimestamp.getTime()));

/** A frozen PLC must not look like fresh data: no new SourceTimestamps while the replay is held. */
async function checkHoldAndResume(ctx) {
    const { timeoutMs } = ctx;
    await need("hold", timeoutMs);
    await sleep(1000); // notifications already on their way
    const frozenAt = latestSource(ctx.changes.RiskLevel);
    const countAt = ctx.changes.RiskLevel.length;
    await sleep(2000);
    const newer = ctx.changes.RiskLevel.slice(countAt).filter((dv) => dv.sourceTimestamp && dv.sourceTimestamp.getTime() > frozenAt);
    check("while the PLC is frozen no RiskLevel with a newer SourceTimestamp is published", frozenAt > 0 && newer.length === 0,
        `${newer.length} newer than ${new Date(frozenAt).toISOString()}`);
    await need("replay", timeoutMs);
    const resumed = await waitFor(() => latestSource(ctx.changes.RiskLevel) > frozenAt, 15_000);
    check("after the PLC resumes RiskLevel is published with newer SourceTimestamps", resumed != null);
    const outside = ctx.changes.RiskLevel.filter((dv) => dv.statusCode.isGood() && !inDataRange(ctx, dv));
    check("RiskLevel SourceTimestamps stay in the replayed data", outside.length === 0, `${outside.length} outside`);
}

// ---------------------------------------------------------------------------------- alarm checks (--alarms)
// Written against the contract; they run once branch `alarms` has landed and the Java test passes
// --alarms. Until then they are not run (running them against the current server fails at Retrain).

async function checkRetrainMethod(ctx) {
    const { session, ns, wellNode, timeoutMs } = ctx;
    const method = await translate(session, wellNode, [[ns, "Retrain"]]);
    if (!check("Retrain method exists under the well", method.nodeId != null, method.status.name)) {
        return;
    }
    const nodeClass = await readAttr(session, method.nodeId, AttributeIds.NodeClass);
    check("Retrain is a Method", nodeClass.value.value === NodeClass.Method);
    // Held, no sample arrives and no scheduled training can start: the next event is ours.
    await need("hold", timeoutMs);
    const before = ctx.events.length;
    // A training that finished during the hold is announced but not swapped in before the next sample.
    const version = Math.max((await readAttr(session, ctx.variables.ModelVersion, AttributeIds.Value)).value.value,
        ...retrainedEvents(ctx).map((e) => e.ModelVersion));
    const buffered = (await readAttr(session, ctx.variables.SamplesBuffered, AttributeIds.Value)).value.value;
    const result = await session.call({ objectId: resolveNodeId(wellNode), methodId: resolveNodeId(method.nodeId), inputArguments: [] });
    check("call Retrain returns Good", result.statusCode.isGood(), result.statusCode.name);
    const event = await waitFor(() => ctx.events.slice(before).find((e) => same(e.EventType, ctx.modelRetrainedEventType)), timeoutMs);
    // The new model is swapped in at the next sample: resume before checking the variables.
    await need("replay", timeoutMs);
    if (check("ModelRetrained event after Retrain", event != null, event ? `ModelVersion ${event.ModelVersion}` : "none")) {
        check("Retrain: ModelVersion is the previous + 1", event.ModelVersion === version + 1, `${version} -> ${event.ModelVersion}`);
        check("Retrain: SampleCount = SamplesBuffered at the call", event.SampleCount === buffered, `${event.SampleCount} vs ${buffered}`);
        await checkRetrainedEvent(ctx, event, "ModelRetrained after Retrain");
    }
}

function alarmEvents(ctx) {
    return ctx.events.filter((e) => e.ConditionName === "AnomalyAlarm" && same(e.SourceNode, ctx.wellNode));
}

async function checkFaultAlarm(ctx) {
    const { session, timeoutMs } = ctx;
    await need("fault", timeoutMs);
    const active = await waitFor(() => alarmEvents(ctx).find((e) => e["ActiveState/Id"] === true), timeoutMs);
    if (!check("an active AnomalyAlarm arrives in the fault segment", active != null)) {
        return;
    }
    // Frozen from here to the end of ConditionRefresh: the alarm cannot change under the checks.
    await need("hold", timeoutMs);
    ctx.alarm = alarmEvents(ctx).filter((e) => e["ActiveState/Id"] === true).pop();
    const typeOk = same(active.EventType, NS0.OffNormalAlarmType)
        || same(await superTypeOf(session, active.EventType), NS0.OffNormalAlarmType);
    check("AnomalyAlarm is an OffNormalAlarmType", typeOk, String(active.EventType));
    check("AnomalyAlarm ConditionId is a node", active.ConditionId != null, String(active.ConditionId));
    check("AnomalyAlarm Retain is true while active", active.Retain === true, String(active.Retain));
    const level = Number(Object.keys(ALARM_SEVERITY).find((k) => ALARM_SEVERITY[k] === active.Severity));
    check("AnomalyAlarm Severity is 500, 700 or 900", !isNaN(level), String(active.Severity));
    check("AnomalyAlarm Severity matches a published RiskLevel",
        ctx.changes.RiskLevel.some((dv) => dv.statusCode.isGood() && dv.value.value === level),
        `severity ${active.Severity} -> level ${level}`);
    check("AnomalyAlarm Message names the well", !!(active.Message && active.Message.text.includes(ctx.args.well)),
        active.Message && active.Message.text);
}

async function checkAcknowledge(ctx) {
    const { session, timeoutMs, alarm } = ctx;
    if (!check("an active alarm to acknowledge", alarm != null)) {
        return;
    }
    const before = ctx.events.length;
    const comment = `acknowledged by the node-opcua interop test ${Date.now()}`;
    const result = await session.call({
        objectId: resolveNodeId(alarm.ConditionId),
        methodId: resolveNodeId(NS0.Acknowledge),
        inputArguments: [
            { dataType: DataType.ByteString, value: alarm.EventId },
            { dataType: DataType.LocalizedText, value: new LocalizedText({ locale: "en", text: comment }) },
        ],
    });
    check("call Acknowledge (i=9111) with the EventId and a comment returns Good", result.statusCode.isGood(), result.statusCode.name);
    const acked = await waitFor(() => ctx.events.slice(before).find((e) => same(e.ConditionId, alarm.ConditionId)
        && e["AckedState/Id"] === true), timeoutMs);
    check("an event with AckedState/Id true follows", acked != null);
    if (acked) {
        check("the acknowledged event carries the comment", acked.Comment && acked.Comment.text === comment,
            acked.Comment && acked.Comment.text);
        check("the acknowledged event has a new EventId", acked.EventId && alarm.EventId
            && acked.EventId.toString("hex") !== alarm.EventId.toString("hex"));
        const active = acked["ActiveState/Id"] === true;
        check("Retain is true while active, false once inactive and acknowledged", acked.Retain === active,
            `active ${active}, Retain ${acked.Retain}`);
    }
}

async function checkConditionRefresh(ctx) {
    const { session, subscription, timeoutMs } = ctx;
    const before = ctx.events.length;
    const result = await session.call({
        objectId: resolveNodeId(NS0.ConditionType),
        methodId: resolveNodeId(NS0.ConditionRefresh),
        inputArguments: [{ dataType: DataType.UInt32, value: subscription.subscriptionId }],
    });
    check("call ConditionRefresh (i=3875 on i=2782) returns Good", result.statusCode.isGood(), result.statusCode.name);
    const end = await waitFor(() => ctx.events.slice(before).findIndex((e) => same(e.EventType, NS0.RefreshEndEventType)) >= 0, timeoutMs);
    const after = ctx.events.slice(before);
    const startIdx = after.findIndex((e) => same(e.EventType, NS0.RefreshStartEventType));
    const endIdx = after.findIndex((e) => same(e.EventType, NS0.RefreshEndEventType));
    check("RefreshStart arrives", startIdx >= 0);
    check("RefreshEnd arrives after RefreshStart", end && endIdx > startIdx);
    const replayed = after.slice(startIdx + 1, endIdx).filter((e) => e.ConditionName === "AnomalyAlarm"
        && same(e.SourceNode, ctx.wellNode));
    // The replay is held: the condition's last event before the refresh tells whether it is retained.
    const last = ctx.events.slice(0, before).filter((e) => ctx.alarm && same(e.ConditionId, ctx.alarm.ConditionId)).pop();
    const retained = last != null && last.Retain === true;
    if (retained) {
        check("the retained AnomalyAlarm is replayed between RefreshStart and RefreshEnd", replayed.length === 1,
            `${replayed.length} condition event(s)`);
        if (replayed.length === 1) {
            check("the replayed condition has the state of its last event",
                replayed[0]["ActiveState/Id"] === last["ActiveState/Id"] && replayed[0]["AckedState/Id"] === last["AckedState/Id"]
                && replayed[0].Severity === last.Severity,
                `active ${replayed[0]["ActiveState/Id"]}, acked ${replayed[0]["AckedState/Id"]}, severity ${replayed[0].Severity}`);
        }
    } else {
        check("a condition that is not retained is not replayed", last != null && replayed.length === 0,
            `${replayed.length} condition event(s), last event ${last ? "Retain false" : "missing"}`);
    }
    await need("replay", timeoutMs);
}

// ---------------------------------------------------------------------------------- history

const HISTORY_PAGE = 100; // numValuesPerNode: small, so that continuation points are needed
const HISTORY_MAX_PAGES = 100;

/** One HistoryRead of one node, following continuation points; returns { status, pages, results }. */
async function historyReadAll(session, nodeId, details, timestampsToReturn) {
    const results = [];
    let continuationPoint = null;
    let status = StatusCodes.Good;
    let pages = 0;
    do {
        const response = await session.historyRead(new HistoryReadRequest({
            historyReadDetails: details,
            timestampsToReturn,
            releaseContinuationPoints: false,
            nodesToRead: [{ nodeId: resolveNodeId(nodeId), continuationPoint }],
        }));
        const result = response.results[0];
        pages++;
        results.push(result);
        if (result.statusCode.isNotGood()) {
            status = result.statusCode;
            break;
        }
        continuationPoint = result.continuationPoint && result.continuationPoint.length > 0 ? result.continuationPoint : null;
    } while (continuationPoint && pages < HISTORY_MAX_PAGES);
    return { status, pages, done: continuationPoint == null, results };
}

/** A historian after a gap: raw history of Loss and event history of the well, read back with the replay held. */
async function checkHistory(ctx) {
    const { session, args, timeoutMs } = ctx;
    await need("hold", timeoutMs);
    await sleep(1000); // notifications already on their way

    // --- raw history of Loss over the recording's time range
    const lastSeen = ctx.changes.Loss.filter((dv) => dv.sourceTimestamp).pop();
    const from = args.dataFrom.getTime();
    const to = args.dataTo.getTime();
    const rawDetails = new ReadRawModifiedDetails({
        isReadModified: false,
        startTime: args.dataFrom,
        endTime: new Date(to + 1000),
        numValuesPerNode: HISTORY_PAGE,
        returnBounds: false,
    });
    let raw;
    let values;
    // Writes are batched off the scoring path: give the last sample a moment to reach the store.
    const deadline = Date.now() + 10_000;
    for (;;) {
        raw = await historyReadAll(session, ctx.variables.Loss, rawDetails, TimestampsToReturn.Both);
        values = raw.results.flatMap((r) => (r.historyData && r.historyData.dataValues) || []);
        const last = values[values.length - 1];
        if (raw.status.isNotGood() || !lastSeen || Date.now() > deadline
            || (last && last.sourceTimestamp && last.sourceTimestamp.getTime() >= lastSeen.sourceTimestamp.getTime())) {
            break;
        }
        await sleep(500);
    }
    check("HistoryRead raw of Loss: status Good", raw.status.isGood(), raw.status.name);
    check(`HistoryRead raw of Loss: continuation points followed to the end (numValuesPerNode ${HISTORY_PAGE})`,
        raw.done && (values.length <= HISTORY_PAGE || raw.pages > 1), `${values.length} values in ${raw.pages} responses`);
    check("HistoryRead raw of Loss: no response holds more than numValuesPerNode",
        raw.results.every((r) => !r.historyData || !r.historyData.dataValues || r.historyData.dataValues.length <= HISTORY_PAGE));
    const good = values.filter((dv) => dv.statusCode.isGood());
    check("HistoryRead raw of Loss: at least 10 Good values", good.length >= 10, `${good.length} Good of ${values.length}`);
    const outside = values.filter((dv) => !(dv.sourceTimestamp instanceof Date)
        || dv.sourceTimestamp.getTime() < from || dv.sourceTimestamp.getTime() > to);
    check("HistoryRead raw of Loss: every SourceTimestamp lies in the replayed data", values.length > 0 && outside.length === 0,
        outside.length ? `${outside.length} outside, e.g. ${outside[0].sourceTimestamp}` : `${values.length} values`);
    const decreasing = values.findIndex((dv, i) => i > 0 && dv.sourceTimestamp && values[i - 1].sourceTimestamp
        && dv.sourceTimestamp.getTime() < values[i - 1].sourceTimestamp.getTime());
    check("HistoryRead raw of Loss: SourceTimestamps are non-decreasing", values.length > 0 && decreasing < 0,
        decreasing < 0 ? "" : `at index ${decreasing}`);
    check("HistoryRead raw of Loss: Good values are finite Doubles >= 0",
        good.length > 0 && good.every((dv) => dv.value.dataType === DataType.Double && Number.isFinite(dv.value.value)
            && dv.value.value >= 0),
        [...new Set(good.map((dv) => DataType[dv.value.dataType]))].join(","));
    // History holds changes only: a repeated value is not stored again, so each Good Loss the
    // subscription saw must be the value history holds at its SourceTimestamp (the last change at or before it).
    const seenGood = ctx.changes.Loss.filter((dv) => dv.statusCode.isGood() && dv.sourceTimestamp);
    const holdsAt = (t) => values.filter((h) => h.sourceTimestamp && h.sourceTimestamp.getTime() <= t).pop();
    // Two assessments may share a SourceTimestamp (a model put in service re-publishes the latest
    // sample's judgement): then the value the subscription saw is one of those stored at that time.
    const missing = seenGood.filter((dv) => {
        const t = dv.sourceTimestamp.getTime();
        if (good.some((h) => h.sourceTimestamp.getTime() === t && h.value.value === dv.value.value)) {
            return false;
        }
        const h = holdsAt(t);
        return !h || !h.statusCode.isGood() || h.value.value !== dv.value.value;
    });
    const exact = seenGood.filter((dv) => good.some((h) => h.sourceTimestamp.getTime() === dv.sourceTimestamp.getTime())).length;
    check("HistoryRead raw of Loss: history holds every Good Loss the subscription saw, at its SourceTimestamp",
        seenGood.length > 0 && missing.length === 0,
        `${seenGood.length - missing.length} of ${seenGood.length}, ${exact} stored at that very timestamp`
        + (missing.length ? `; e.g. ${missing[0].value.value} at ${missing[0].sourceTimestamp.toISOString()}` : ""));
    const last = values[values.length - 1];
    // The newest stored change holds at the last seen timestamp (a repeat of it is not stored again).
    check("HistoryRead raw of Loss: the last value is the Loss the subscription last saw",
        last != null && lastSeen != null && last.sourceTimestamp.getTime() <= lastSeen.sourceTimestamp.getTime()
        && last.value.value === lastSeen.value.value && last.statusCode.value === lastSeen.statusCode.value,
        last && lastSeen ? `history ${last.value.value} at ${last.sourceTimestamp.toISOString()}, `
            + `subscription ${lastSeen.value.value} at ${lastSeen.sourceTimestamp.toISOString()}` : "none");

    // --- event history of the well
    // Events are stored under their Time, which is wall-clock time (a ModelRetrained event's is when
    // the training finished), not the recording's data time: the range covers both and every Time seen.
    const eventTimes = ctx.events.filter((e) => same(e.SourceNode, ctx.wellNode) && e.Time instanceof Date)
        .map((e) => e.Time.getTime());
    const start = new Date(Math.min(from, ...eventTimes) - 60_000);
    const end = new Date(Math.max(to, Date.now(), ...eventTimes) + 60_000);
    const fields = [
        field("EventType", NS0.BaseEventType, [[0, "EventType"]]),
        field("SourceNode", NS0.BaseEventType, [[0, "SourceNode"]]),
        field("Time", NS0.BaseEventType, [[0, "Time"]]),
        field("Message", NS0.BaseEventType, [[0, "Message"]]),
        field("Severity", NS0.BaseEventType, [[0, "Severity"]]),
        field("ModelVersion", ctx.modelRetrainedEventType, [[ctx.ns, "ModelVersion"]]),
    ];
    const ev = await historyReadAll(session, ctx.wellNode, new ReadEventDetails({
        numValuesPerNode: 0, startTime: start, endTime: end, filter: eventFilter(fields),
    }), TimestampsToReturn.Neither);
    check("HistoryRead events of the well: status Good", ev.status.isGood(), ev.status.name);
    const history = ev.results.flatMap((r) => (r.historyData && r.historyData.events) || []).map((h) => {
        const e = { variants: {} };
        fields.forEach((f, i) => {
            const v = h.eventFields ? h.eventFields[i] : null;
            e.variants[f.name] = v;
            e[f.name] = v ? v.value : null;
        });
        return e;
    });
    check("HistoryRead events of the well: every event has the select clause's fields",
        history.length > 0 && history.every((e) => Object.keys(e.variants).length === fields.length && e.variants.EventType
            && e.variants.Time && e.variants.Severity),
        `${history.length} events`);
    check("HistoryRead events of the well: SourceNode is the well", history.length > 0
        && history.every((e) => same(e.SourceNode, ctx.wellNode)));
    check("HistoryRead events of the well: Times within the requested range and non-decreasing",
        history.length > 0 && history.every((e, i) => e.Time instanceof Date && e.Time >= start && e.Time <= end
            && (i === 0 || e.Time.getTime() >= history[i - 1].Time.getTime())));
    const retrained = history.filter((e) => same(e.EventType, ctx.modelRetrainedEventType));
    check("HistoryRead events: a ModelRetrained event with Severity 100 and ModelVersion >= 1",
        retrained.some((e) => e.Severity === 100 && e.variants.ModelVersion.dataType === DataType.UInt32 && e.ModelVersion >= 1),
        retrained.map((e) => `v${e.ModelVersion}/${e.Severity}`).join(",") || "none");
    const firstSeen = retrainedEvents(ctx).find((e) => same(e.SourceNode, ctx.wellNode));
    check("HistoryRead events: the first ModelRetrained event the subscription saw is in history (Time, ModelVersion, Message)",
        firstSeen != null && retrained.some((e) => e.Time.getTime() === firstSeen.Time.getTime()
            && e.ModelVersion === firstSeen.ModelVersion && e.Message && firstSeen.Message && e.Message.text === firstSeen.Message.text),
        firstSeen ? `ModelVersion ${firstSeen.ModelVersion} at ${firstSeen.Time.toISOString()}` : "none seen");
    if (args.alarms) {
        const alarms = [];
        for (const e of history) {
            if (same(e.EventType, NS0.OffNormalAlarmType) || same(await superTypeOf(session, e.EventType), NS0.OffNormalAlarmType)) {
                alarms.push(e);
            }
        }
        check("HistoryRead events: an AnomalyAlarm event with Severity >= 500",
            alarms.some((e) => e.Severity >= 500), alarms.map((e) => e.Severity).join(",") || "none");
        check("HistoryRead events: the AnomalyAlarm Message names the well",
            alarms.some((e) => e.Severity >= 500 && e.Message && e.Message.text && e.Message.text.includes(args.well)),
            alarms.length ? alarms[0].Message && alarms[0].Message.text : "none");
    }
}

// ---------------------------------------------------------------------------------- run

const started = Date.now();
try {
    await main();
} catch (e) {
    check("interop run", false, e && e.stack ? e.stack : String(e));
}
console.log(`SUMMARY ${passed} passed, ${failed} failed in ${((Date.now() - started) / 1000).toFixed(1)} s`);
process.exit(failed > 0 || passed === 0 ? 1 : 0);
