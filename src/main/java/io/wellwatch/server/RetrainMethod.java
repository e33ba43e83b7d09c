package io.wellwatch.server;

import java.util.function.Supplier;

import io.wellwatch.core.RetrainOutcome;
import io.wellwatch.core.RetrainRequester;
import io.wellwatch.server.alarm.OperatorCheck;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;
import org.eclipse.milo.opcua.sdk.server.methods.AbstractMethodInvocationHandler;
import org.eclipse.milo.opcua.sdk.server.nodes.UaMethodNode;
import org.eclipse.milo.opcua.stack.core.StatusCodes;
import org.eclipse.milo.opcua.stack.core.UaException;
import org.eclipse.milo.opcua.stack.core.types.builtin.Variant;
import org.eclipse.milo.opcua.stack.core.types.structured.Argument;

/**
 * The Retrain method of one well: asks the {@link RetrainRequester} to train now. Good when the
 * training was started; Bad_InvalidState when refused (too few samples, a training running, no
 * valid sample yet), with the reason in the server log (Milo's method handlers cannot return
 * diagnostic text); Bad_UserAccessDenied when the {@link OperatorCheck} refuses the caller.
 * The ModelRetrained event follows when the training has finished and the model is in service.
 */
final class RetrainMethod extends AbstractMethodInvocationHandler {

    private static final Logger LOG = LogManager.getLogger(RetrainMethod.class);

    private final String wellId;
    private final Supplier<RetrainRequester> requester;
    private final Supplier<OperatorCheck> operatorCheck;

    RetrainMethod(UaMethodNode node, String wellId, Supplier<RetrainRequester> requester,
                  Supplier<OperatorCheck> operatorCheck) {
        super(node);
        this.wellId = wellId;
        this.requester = requester;
        this.operatorCheck = operatorCheck;
    }

    @Override
    public Argument[] getInputArguments() {
        return new Argument[0];
    }

    @Override
    public Argument[] getOutputArguments() {
        return new Argument[0];
    }

    @Override
    protected Variant[] invoke(InvocationContext context, Variant[] inputValues) throws UaException {
        String caller = OperatorCheck.userOf(context);
        if (!operatorCheck.get().allowed(context, OperatorCheck.Action.RETRAIN, wellId)) {
            LOG.warn("{}: Retrain refused for {}: not allowed", wellId, caller);
            throw new UaException(StatusCodes.Bad_UserAccessDenied);
        }
        RetrainOutcome outcome = requester.get().requestRetrain(wellId);
        if (outcome == null || !outcome.accepted()) {
            String why = outcome == null ? "no answer" : outcome.message();
            LOG.info("{}: Retrain requested by {} refused (Bad_InvalidState): {}", wellId, caller, why);
            throw new UaException(StatusCodes.Bad_InvalidState, why);
        }
        LOG.info("{}: Retrain requested by {}: {}", wellId, caller, outcome.message());
        return new Variant[0];
    }
}
