package io.wellwatch.server.alarm;

import java.net.InetAddress;
import java.util.List;
import java.util.Locale;

import io.wellwatch.security.Audit;
import org.eclipse.milo.opcua.sdk.server.AccessContext;
import org.eclipse.milo.opcua.sdk.server.Session;
import org.eclipse.milo.opcua.stack.core.NodeIds;
import org.eclipse.milo.opcua.stack.core.types.builtin.NodeId;

/**
 * Decides whether the caller of an operator action (Acknowledge, AddComment, Enable, Disable,
 * Retrain) may perform it. Callers answer Bad_UserAccessDenied when it says no.
 */
@FunctionalInterface
public interface OperatorCheck {

    enum Action { ACKNOWLEDGE, ADD_COMMENT, ENABLE, DISABLE, RETRAIN }

    /**
     * The server's rule: sessions whose roles (from the server's RoleMapper, i.e. the user's
     * configured role) include the well-known role Operator; the server itself (no session) too.
     * Every refusal is audited.
     */
    OperatorCheck BY_ROLE = (context, action, wellId) -> {
        Session session = context.getSession().orElse(null);
        if (session == null) {
            return true;
        }
        List<NodeId> roles = session.getRoleIds().orElse(List.of());
        if (roles.contains(NodeIds.WellKnownRole_Operator)) {
            return true;
        }
        InetAddress address = session.getClientAddress();
        Audit.actionRefused(userOf(context),
                address == null ? "unknown" : address.getHostAddress(),
                action.name().toLowerCase(Locale.ROOT), wellId,
                roles.contains(NodeIds.WellKnownRole_Observer) ? "role viewer" : "no operator role");
        return false;
    };

    /**
     * Who acts in {@code context}, for ClientUserId and the log: the session's user identity (user
     * name, or the subject of a user certificate), "anonymous", or "server" without a session;
     * never the session name a client picks for itself.
     */
    static String userOf(AccessContext context) {
        return context.getSession().map(s -> {
            String id = s.getClientUserId();
            return id == null || id.isEmpty() ? "anonymous" : id;
        }).orElse("server");
    }

    /** True if the caller in {@code context} may perform {@code action} on the well. */
    boolean allowed(AccessContext context, Action action, String wellId);
}
