package com.enterpriseadmin.team;

import com.enterpriseadmin.error.DomainException.InvalidInput;
import java.util.regex.Pattern;

/** User ids are Cognito {@code sub}s: letters, digits and dashes, at most 128 characters. */
final class UserIds {
    private static final Pattern SHAPE = Pattern.compile("[A-Za-z0-9-]{1,128}");

    private UserIds() {}

    static String parse(String raw, String field) {
        if (raw == null || !isWellFormed(raw)) {
            throw new InvalidInput(field, "'" + field + "' must be a user id (letters, digits and dashes)");
        }
        return raw;
    }

    static boolean isWellFormed(String raw) {
        return raw != null && SHAPE.matcher(raw).matches();
    }
}
