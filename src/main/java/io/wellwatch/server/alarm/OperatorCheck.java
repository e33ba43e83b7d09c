package io.wellwatch.server.alarm;

import org.eclipse.milo.opcua.sdk.server.AccessContext;

/**
 * Decides whether the caller of an operator action (Acknowledge, AddComment, Enable, Disable,
 * Retrain) may perform it. The seam for roles and user authentication, which come with the
 * security issue; until then {@link #EVERYONE} allows every caller.
 */
@FunctionalInterface
public interface OperatorCheck {

    enum Action { ACKNOWLEDGE, ADD_COMMENT, ENABLE, DISABLE, RETRAIN }

    OperatorCheck EVERYONE = (context, action, wellId) -> true;

    /** True if the caller in {@code context} may perform {@code action} on the well. */
    boolean allowed(AccessContext context, Action action, String wellId);
}
