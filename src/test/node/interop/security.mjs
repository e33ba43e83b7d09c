// A node-opcua client against a WellWatch with production security (run by NodeOpcuaSecurityInteropTest):
// every SecurityPolicy and mode with a user name and password, a read, Retrain (the role decides), anonymous.
// Prints one line per attempt: OK <policy>/<mode>: ... or REFUSED <policy>/<mode>: ..., then ANONYMOUS ...
// usage: node security.mjs <endpointUrl> <pkiDir> <user> <password> <wellId>
import { OPCUAClient, OPCUACertificateManager, MessageSecurityMode, SecurityPolicy, UserTokenType, StatusCodes } from "node-opcua";

const [url, pki, user, password, well] = process.argv.slice(2);
const certificateManager = new OPCUACertificateManager({ rootFolder: pki, automaticallyAcceptUnknownCertificate: true });
for (const policy of [SecurityPolicy.Basic256Sha256, SecurityPolicy.Aes128_Sha256_RsaOaep, SecurityPolicy.Aes256_Sha256_RsaPss]) {
    for (const mode of [MessageSecurityMode.Sign, MessageSecurityMode.SignAndEncrypt]) {
        const client = OPCUAClient.create({ securityMode: mode, securityPolicy: policy, endpointMustExist: false,
            clientCertificateManager: certificateManager,
            connectionStrategy: { maxRetry: 0 } });
        const tag = `${policy.split("#")[1]}/${MessageSecurityMode[mode]}`;
        try {
            await client.connect(url);
            const session = await client.createSession({ type: UserTokenType.UserName, userName: user, password });
            const ns = (await session.readNamespaceArray()).indexOf("urn:wellwatch:anomaly");
            const v = await session.read({ nodeId: `ns=${ns};s=WellWatch/Wells/${well}/WindowSize`, attributeId: 13 });
            const r = await session.call({ objectId: `ns=${ns};s=WellWatch/Wells/${well}`, methodId: `ns=${ns};s=WellWatch/Wells/${well}/Retrain`, inputArguments: [] });
            console.log(`OK ${tag}: WindowSize ${v.value.value} (${v.statusCode.name}); Retrain as ${user}: ${r.statusCode.name}`);
            await session.close();
        } catch (e) {
            console.log(`REFUSED ${tag}: ${e.message.split("\n")[0]}`);
        }
        await client.disconnect();
    }
}
try {
    const client = OPCUAClient.create({ securityMode: MessageSecurityMode.SignAndEncrypt, securityPolicy: SecurityPolicy.Basic256Sha256,
        endpointMustExist: false, clientCertificateManager: certificateManager, connectionStrategy: { maxRetry: 0 } });
    await client.connect(url);
    await client.createSession();
    console.log("ANONYMOUS accepted (unexpected)");
} catch (e) {
    console.log(`ANONYMOUS refused: ${e.message.split("\n")[0]}`);
}
process.exit(0);
