package com.enterpriseadmin.auth;

import com.enterpriseadmin.error.DomainException.Unauthenticated;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * Who is calling, from the claims of the ID token the HTTP API JWT authorizer verified. This says
 * who the caller is, never what they may do: permissions come from stored membership
 * (see {@code Policy}).
 */
public record Caller(String userId, Optional<String> email, boolean emailVerified, Optional<String> name) {

    public static Caller from(Map<String, String> claims) {
        String sub = claims.get("sub");
        if (sub == null || sub.isBlank()) {
            throw new Unauthenticated("the token carries no subject");
        }
        Optional<String> email = Optional.ofNullable(claims.get("email"))
                .map(e -> e.trim().toLowerCase(Locale.ROOT))
                .filter(e -> !e.isEmpty());
        Optional<String> name = Optional.ofNullable(claims.get("name")).map(String::trim).filter(n -> !n.isEmpty());
        return new Caller(sub, email, "true".equalsIgnoreCase(claims.get("email_verified")), name);
    }

    /** The caller's e-mail, only if the identity provider verified it (invitations are matched on it). */
    public Optional<String> verifiedEmail() {
        return emailVerified ? email : Optional.empty();
    }
}
