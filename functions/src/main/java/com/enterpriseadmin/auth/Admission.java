package com.enterpriseadmin.auth;

import com.enterpriseadmin.error.DomainException.Forbidden;
import com.enterpriseadmin.error.DomainException.Unauthenticated;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Who may use the API at all, decided on every request before any route runs (by
 * {@code http.ApiHandler}), from the claims the HTTP API JWT authorizer verified:
 *
 * <ul>
 *   <li>only Cognito <b>ID tokens</b> ({@code token_use = id}): the authorizer also lets access tokens
 *       of the client through (it checks {@code client_id} for them), but they carry no e-mail or name;
 *       anything else is 401 {@code id-token-required};</li>
 *   <li>when {@code ALLOWED_EMAIL_DOMAINS} is set, the e-mail in the token must be at one of those
 *       domains (the PreSignUp trigger checks only the address someone signed up with; a user may move
 *       to another address later): 403 {@code email-domain-not-allowed} otherwise.</li>
 * </ul>
 *
 * This is identity, never permission: what a caller may do is {@link Policy}'s business.
 */
public record Admission(List<String> allowedEmailDomains) {

    /** Every domain is allowed; ID tokens are still required. */
    public static final Admission ANY_DOMAIN = new Admission(List.of());

    public Admission {
        allowedEmailDomains = allowedEmailDomains.stream().map(d -> d.trim().toLowerCase(Locale.ROOT)).filter(d -> !d.isEmpty()).toList();
    }

    /** The caller, if the token may be used here; a 401 or 403 otherwise. */
    public Caller admit(Map<String, String> claims) {
        if (!"id".equals(claims.get("token_use"))) {
            throw idTokenRequired();
        }
        Caller caller = Caller.from(claims);
        if (!allowedEmailDomains.isEmpty() && !caller.email().map(this::allows).orElse(false)) {
            throw new Forbidden("email-domain-not-allowed",
                    "the domain of your e-mail address is not allowed for this service; change your address back to one this service accepts, verify it, and sign in again");
        }
        return caller;
    }

    /** Whether an address (normalised, lower-case) is at an allowed domain; every address is when no domain is configured. */
    public boolean allows(String email) {
        if (allowedEmailDomains.isEmpty()) {
            return true;
        }
        int at = email.lastIndexOf('@');
        return at > 0 && allowedEmailDomains.contains(email.substring(at + 1).toLowerCase(Locale.ROOT));
    }

    public static Unauthenticated idTokenRequired() {
        return new Unauthenticated("id-token-required",
                "this API accepts Cognito ID tokens only: send 'Authorization: Bearer <IdToken>' with the IdToken of the sign-in's "
                        + "AuthenticationResult (not the AccessToken)");
    }

    /** 403 for a step that needs a verified e-mail address, saying how to get one. */
    public static Forbidden emailNotVerified() {
        return new Forbidden("email-not-verified",
                "your e-mail address is not verified: verify it (type the code Cognito sent to the address), then sign in again "
                        + "so that your ID token says email_verified=true");
    }

}
