package io.wellwatch.security;

import java.net.InetAddress;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.EnumSet;
import javax.naming.InvalidNameException;
import javax.naming.ldap.LdapName;
import javax.naming.ldap.Rdn;

import io.wellwatch.config.SecurityConfig;
import io.wellwatch.config.UserConfig;
import org.eclipse.milo.opcua.sdk.server.RoleMapper;
import org.eclipse.milo.opcua.sdk.server.Session;
import org.eclipse.milo.opcua.sdk.server.identity.AbstractUsernameIdentityValidator;
import org.eclipse.milo.opcua.sdk.server.identity.AbstractX509IdentityValidator;
import org.eclipse.milo.opcua.sdk.server.identity.DefaultAnonymousIdentity;
import org.eclipse.milo.opcua.sdk.server.identity.DefaultUsernameIdentity;
import org.eclipse.milo.opcua.sdk.server.identity.DefaultX509UserIdentity;
import org.eclipse.milo.opcua.sdk.server.identity.Identity;
import org.eclipse.milo.opcua.sdk.server.identity.IdentityValidator;
import org.eclipse.milo.opcua.stack.core.NodeIds;
import org.eclipse.milo.opcua.stack.core.StatusCodes;
import org.eclipse.milo.opcua.stack.core.UaException;
import org.eclipse.milo.opcua.stack.core.security.CertificateValidator;
import org.eclipse.milo.opcua.stack.core.types.builtin.NodeId;
import org.eclipse.milo.opcua.stack.core.types.enumerated.UserTokenType;
import org.eclipse.milo.opcua.stack.core.types.structured.AnonymousIdentityToken;
import org.eclipse.milo.opcua.stack.core.types.structured.SignatureData;
import org.eclipse.milo.opcua.stack.core.types.structured.UserIdentityToken;
import org.eclipse.milo.opcua.stack.core.types.structured.UserNameIdentityToken;
import org.eclipse.milo.opcua.stack.core.types.structured.UserTokenPolicy;
import org.eclipse.milo.opcua.stack.core.types.structured.X509IdentityToken;

/**
 * Who a session is and what role it has: the server's {@link IdentityValidator} and
 * {@link RoleMapper}. Milo decrypts the password and checks the user certificate's signature;
 * this class decides:
 * <ul>
 *   <li>anonymous: only when the config allows it, with the configured role;</li>
 *   <li>user name: a configured user whose PBKDF2 hash matches, unless the user or the client
 *       address is locked out by the {@link LoginThrottle};</li>
 *   <li>X.509 user certificate: trusted by the user trust list and whose Subject CN is a
 *       configured user's name.</li>
 * </ul>
 * The role travels as the identity's user data; the RoleMapper turns it into the Part 18
 * well-known roles Observer (viewer) or Operator (operator), which the operator actions check.
 * Every refusal and every accepted login is written to the {@link Audit} log.
 */
public final class UserLogin implements IdentityValidator, RoleMapper {

    /** Compared against when the user is unknown, so the answer takes as long as for a known user. */
    private static final PasswordHash DECOY = PasswordHash.create("decoy".toCharArray(), PasswordHash.DEFAULT_ITERATIONS);

    private final Map<String, Account> accounts = new LinkedHashMap<>();
    private final boolean allowAnonymous;
    private final UserConfig.Role anonymousRole;
    private final LoginThrottle throttle;
    private final CertificateValidator userCertificates;
    private final Passwords passwords = new Passwords();
    private final Certificates certificates = new Certificates();

    private record Account(UserConfig.Role role, PasswordHash hash) {
    }

    /**
     * @param userCertificates validates X.509 user certificates (the PKI's user trust list)
     */
    public UserLogin(SecurityConfig security, LoginThrottle throttle, CertificateValidator userCertificates) {
        for (UserConfig u : security.users()) {
            accounts.put(u.name(), new Account(u.role(), u.passwordHash() == null ? null : PasswordHash.parse(u.passwordHash())));
        }
        this.allowAnonymous = security.allowAnonymous();
        this.anonymousRole = security.anonymousRole();
        this.throttle = throttle;
        this.userCertificates = userCertificates;
    }

    @Override
    public Identity validateIdentityToken(Session session, UserIdentityToken token, UserTokenPolicy policy,
                                          SignatureData signature) throws UaException {
        if (token instanceof AnonymousIdentityToken) {
            if (!allowAnonymous) {
                Audit.loginRefused("anonymous", address(session), "anonymous", "anonymous login is off");
                throw new UaException(StatusCodes.Bad_IdentityTokenRejected, "anonymous login is not allowed");
            }
            DefaultAnonymousIdentity identity = new DefaultAnonymousIdentity();
            identity.setUserData(anonymousRole);
            return identity;
        }
        if (token instanceof UserNameIdentityToken) {
            return passwords.validateIdentityToken(session, token, policy, signature);
        }
        if (token instanceof X509IdentityToken) {
            return certificates.validateIdentityToken(session, token, policy, signature);
        }
        throw new UaException(StatusCodes.Bad_IdentityTokenInvalid, "unsupported identity token");
    }

    @Override
    public Set<UserTokenType> getSupportedTokenTypes() {
        Set<UserTokenType> types = EnumSet.of(UserTokenType.UserName, UserTokenType.Certificate);
        if (allowAnonymous) {
            types.add(UserTokenType.Anonymous);
        }
        return types;
    }

    @Override
    public List<NodeId> getRoleIds(Identity identity) {
        Object role = identity == null ? null : identity.getUserData();
        if (role == UserConfig.Role.OPERATOR) {
            return List.of(NodeIds.WellKnownRole_Operator);
        }
        if (role == UserConfig.Role.VIEWER) {
            return List.of(NodeIds.WellKnownRole_Observer);
        }
        return List.of();
    }

    private static String address(Session session) {
        InetAddress a = session == null ? null : session.getClientAddress();
        return a == null ? "unknown" : a.getHostAddress();
    }

    /** User name and password; Milo has decrypted the password with the server's key. */
    private final class Passwords extends AbstractUsernameIdentityValidator {
        @Override
        protected Identity.UsernameIdentity authenticateUsernamePassword(Session session, String user, String password) {
            String address = address(session);
            Optional<Duration> locked = throttle.lockedFor(user, address);
            if (locked.isPresent()) {
                Audit.loginRefused(user, address, "password", "locked out for another "
                        + Math.max(1, locked.get().toSeconds()) + " s after repeated failures");
                return null;
            }
            Account account = accounts.get(user);
            String problem = null;
            if (account == null) {
                DECOY.matches(password);
                problem = "unknown user";
            } else if (account.hash() == null) {
                problem = "user has no password (certificate login only)";
            } else if (!account.hash().matches(password)) {
                problem = "wrong password";
            }
            if (problem != null) {
                Duration lockout = throttle.recordFailure(user, address);
                Audit.loginRefused(user, address, "password", problem
                        + (lockout.isZero() ? "" : "; locked out for " + Math.max(1, lockout.toSeconds()) + " s"));
                return null;
            }
            throttle.recordSuccess(user, address);
            Audit.loginAccepted(user, address, "password", account.role().label());
            DefaultUsernameIdentity identity = new DefaultUsernameIdentity(user);
            identity.setUserData(account.role());
            return identity;
        }
    }

    /** X.509 user certificate; Milo has checked that the client holds its private key. */
    private final class Certificates extends AbstractX509IdentityValidator {
        @Override
        protected Identity.X509UserIdentity authenticateCertificate(Session session, X509Certificate certificate) {
            String address = address(session);
            String name = commonName(certificate);
            try {
                userCertificates.validateCertificateChain(List.of(certificate), null, null);
            } catch (UaException e) {
                Audit.loginRefused(name, address, "certificate", "user certificate not trusted");
                return null;
            }
            Account account = accounts.get(name);
            if (account == null) {
                Audit.loginRefused(name, address, "certificate", "trusted certificate, but no user named '" + name + "'");
                return null;
            }
            Audit.loginAccepted(name, address, "certificate", account.role().label());
            DefaultX509UserIdentity identity = new DefaultX509UserIdentity(certificate);
            identity.setUserData(account.role());
            return identity;
        }
    }

    /** The Subject's CN, which names the user. */
    static String commonName(X509Certificate certificate) {
        try {
            for (Rdn rdn : new LdapName(certificate.getSubjectX500Principal().getName()).getRdns()) {
                if (rdn.getType().equalsIgnoreCase("CN")) {
                    return rdn.getValue().toString();
                }
            }
        } catch (InvalidNameException e) {
            // fall through: a subject we cannot read names nobody
        }
        return "";
    }
}
