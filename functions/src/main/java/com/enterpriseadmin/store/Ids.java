package com.enterpriseadmin.store;

import java.security.SecureRandom;
import java.time.Instant;
import java.time.temporal.ChronoUnit;

/**
 * Identifiers. Random ids are generated per call (never during INIT, so SnapStart snapshots
 * cannot clone them): 16 random bytes in lower-case Crockford base32, 26 characters.
 */
public final class Ids {
    private static final char[] ALPHABET = "0123456789abcdefghjkmnpqrstvwxyz".toCharArray();
    private static final SecureRandom RANDOM = new SecureRandom();

    private Ids() {}

    public static String newId() {
        byte[] bytes = new byte[16];
        RANDOM.nextBytes(bytes);
        StringBuilder sb = new StringBuilder(26);
        int buffer = 0;
        int bits = 0;
        for (byte b : bytes) {
            buffer = (buffer << 8) | (b & 0xff);
            bits += 8;
            while (bits >= 5) {
                sb.append(ALPHABET[(buffer >> (bits - 5)) & 31]);
                bits -= 5;
            }
        }
        if (bits > 0) {
            sb.append(ALPHABET[(buffer << (5 - bits)) & 31]);
        }
        return sb.toString();
    }

    /** The sortable time component of ledger and audit keys: ISO-8601 UTC, always millisecond precision. */
    public static String at(Instant instant) {
        Instant t = instant.truncatedTo(ChronoUnit.MILLIS);
        String s = t.toString();
        // Instant.toString drops zero fractions; pad so that lexical order is time order.
        if (t.getNano() == 0) {
            s = s.substring(0, s.length() - 1) + ".000Z";
        }
        return s;
    }

    public static boolean isWellFormed(String id) {
        if (id == null || id.length() != 26) {
            return false;
        }
        for (char c : id.toCharArray()) {
            if ((c < '0' || c > '9') && (c < 'a' || c > 'z')) {
                return false;
            }
        }
        return true;
    }
}
