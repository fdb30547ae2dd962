package com.enterpriseadmin.organization;

import com.enterpriseadmin.error.DomainException.InvalidInput;

/** Organization names: trimmed, 1–100 characters (code points), no control characters. */
public final class OrganizationName {
    public static final int MAX_LENGTH = 100;

    private OrganizationName() {}

    public static String parse(String raw, String field) {
        if (raw == null) {
            throw new InvalidInput(field, "'" + field + "' is required");
        }
        String name = raw.strip();
        if (name.isEmpty()) {
            throw new InvalidInput(field, "'" + field + "' must not be blank");
        }
        if (name.codePointCount(0, name.length()) > MAX_LENGTH) {
            throw new InvalidInput(field, "'" + field + "' must be at most " + MAX_LENGTH + " characters");
        }
        if (name.codePoints().anyMatch(c -> Character.isISOControl(c) || Character.getType(c) == Character.FORMAT && c != 0x200D)) {
            throw new InvalidInput(field, "'" + field + "' must not contain control characters");
        }
        return name;
    }
}
