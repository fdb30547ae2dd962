package com.enterpriseadmin.team;

import com.enterpriseadmin.error.DomainException.InvalidInput;
import java.text.Normalizer;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * Team names. The display name is the input trimmed, with every run of inner white space collapsed
 * to one space (Unicode NFC). Uniqueness within an organization is decided on the {@link #key}:
 * the display name in NFKC, lower-cased — so {@code " Design  Team "}, {@code "design team"} and
 * {@code "DESIGN TEAM"} are the same name. 1–100 characters, no control or format characters.
 */
public record TeamName(String display, String key) {
    public static final int MAX_LENGTH = 100;
    private static final Pattern WHITESPACE = Pattern.compile("[\\s\\p{Z}\\u00A0\\u2007\\u202F]+", Pattern.UNICODE_CHARACTER_CLASS);

    public static TeamName parse(String raw, String field) {
        if (raw == null) {
            throw new InvalidInput(field, "'" + field + "' is required");
        }
        if (raw.length() > MAX_LENGTH * 4) {
            throw new InvalidInput(field, "'" + field + "' must be at most " + MAX_LENGTH + " characters");
        }
        String display = WHITESPACE.matcher(Normalizer.normalize(raw, Normalizer.Form.NFC)).replaceAll(" ").strip();
        if (display.isEmpty()) {
            throw new InvalidInput(field, "'" + field + "' must not be blank");
        }
        if (display.codePointCount(0, display.length()) > MAX_LENGTH) {
            throw new InvalidInput(field, "'" + field + "' must be at most " + MAX_LENGTH + " characters");
        }
        if (display.codePoints().anyMatch(c -> Character.isISOControl(c) || Character.getType(c) == Character.FORMAT && c != 0x200D)) {
            throw new InvalidInput(field, "'" + field + "' must not contain control characters");
        }
        String key = keyOf(display);
        // Compatibility folding can multiply a character (U+FDFA becomes 18): keep the lock item's sort key
        // well inside DynamoDB's 1,024-byte limit.
        if (key.getBytes(java.nio.charset.StandardCharsets.UTF_8).length > MAX_KEY_BYTES) {
            throw new InvalidInput(field, "'" + field + "' is too long once normalised; use a shorter name");
        }
        return new TeamName(display, key);
    }

    static final int MAX_KEY_BYTES = 800;

    /** The case-insensitive uniqueness key of an already collapsed display name. */
    static String keyOf(String display) {
        String folded = Normalizer.normalize(display, Normalizer.Form.NFKC).toLowerCase(Locale.ROOT);
        return WHITESPACE.matcher(folded).replaceAll(" ").strip();
    }
}
