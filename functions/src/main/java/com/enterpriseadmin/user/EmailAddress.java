package com.enterpriseadmin.user;

import com.enterpriseadmin.error.DomainException.InvalidInput;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * E-mail addresses as this product stores and compares them: trimmed and lower-case. The check is
 * deliberately pragmatic (what mail providers actually accept), not the full RFC 5322 grammar:
 * dot-atom local part of at most 64 characters, a domain of dot-separated labels with a TLD of at
 * least two letters, at most 254 characters in all.
 */
public final class EmailAddress {
    private static final Pattern LOCAL = Pattern.compile("[a-z0-9!#$%&'*+/=?^_`{|}~-]+(\\.[a-z0-9!#$%&'*+/=?^_`{|}~-]+)*");
    private static final Pattern DOMAIN = Pattern.compile("([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\\.)+[a-z]{2,63}");

    private EmailAddress() {}

    public static String normalise(String raw) {
        return raw == null ? null : raw.trim().toLowerCase(Locale.ROOT);
    }

    /** The normalised address, or a 400 naming {@code field}. */
    public static String parse(String raw, String field) {
        String email = normalise(raw);
        if (email == null || email.isEmpty()) {
            throw new InvalidInput("invalid-email", field, "an e-mail address is required");
        }
        if (!isValid(email)) {
            throw new InvalidInput("invalid-email", field, "'" + abbreviate(email) + "' is not a valid e-mail address");
        }
        return email;
    }

    public static boolean isValid(String normalised) {
        if (normalised.length() > 254) {
            return false;
        }
        int at = normalised.lastIndexOf('@');
        if (at <= 0 || at != normalised.indexOf('@')) {
            return false;
        }
        String local = normalised.substring(0, at);
        String domain = normalised.substring(at + 1);
        return local.length() <= 64 && LOCAL.matcher(local).matches() && DOMAIN.matcher(domain).matches();
    }

    public static String domain(String normalised) {
        return normalised.substring(normalised.indexOf('@') + 1);
    }

    private static String abbreviate(String s) {
        return s.length() <= 80 ? s : s.substring(0, 77) + "...";
    }
}
