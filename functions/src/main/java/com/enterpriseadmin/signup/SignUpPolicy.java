package com.enterpriseadmin.signup;

import com.enterpriseadmin.user.EmailAddress;
import java.util.List;
import java.util.Locale;

/**
 * Who may sign up. Cognito's PreSignUp trigger cannot rewrite attributes, so an address is accepted
 * only in its normalised form (trimmed, lower-case): what Cognito stores is then exactly what
 * profiles, invitations and look-ups use. The messages are shown to the person signing up.
 */
public final class SignUpPolicy {
    private final List<String> allowedDomains;

    public SignUpPolicy(List<String> allowedDomains) {
        this.allowedDomains = List.copyOf(allowedDomains);
    }

    /** Returns the normalised address or throws {@link Rejected} with a message for the user. */
    public String check(String submitted) {
        String email = EmailAddress.normalise(submitted);
        if (email == null || email.isEmpty()) {
            throw new Rejected("An e-mail address is required");
        }
        if (!EmailAddress.isValid(email)) {
            throw new Rejected("'" + submitted.trim() + "' is not a valid e-mail address");
        }
        if (!email.equals(submitted)) {
            throw new Rejected("Please enter your e-mail address in lower case without spaces: " + email);
        }
        String domain = EmailAddress.domain(email);
        if (!allowedDomains.isEmpty() && !allowedDomains.contains(domain.toLowerCase(Locale.ROOT))) {
            throw new Rejected("Sign-up is limited to addresses at " + String.join(", ", allowedDomains));
        }
        return email;
    }

    /** A refusal Cognito shows to the user as "PreSignUp failed with error {message}." (Cognito adds the period). */
    public static final class Rejected extends RuntimeException {
        public Rejected(String message) {
            super(message, null, false, false);
        }
    }
}
