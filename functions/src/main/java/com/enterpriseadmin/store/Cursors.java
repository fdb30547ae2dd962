package com.enterpriseadmin.store;

import com.enterpriseadmin.error.DomainException.InvalidInput;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.HashMap;
import java.util.Map;
import java.util.TreeMap;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * Opaque list cursors: the query's LastEvaluatedKey (string attributes only, which all our keys
 * are), URL-safe base64 of {@code name=value} lines. A cursor is only accepted for the partition
 * it was issued for, so a hand-made cursor cannot reach into another organization.
 */
public final class Cursors {
    private Cursors() {}

    public static String encode(Map<String, AttributeValue> lastKey) {
        StringBuilder sb = new StringBuilder();
        new TreeMap<>(lastKey).forEach((k, v) -> sb.append(k).append('=').append(v.s()).append('\n'));
        return Base64.getUrlEncoder().withoutPadding().encodeToString(sb.toString().getBytes(StandardCharsets.UTF_8));
    }

    /** Decodes a cursor; {@code partitionAttribute} must equal {@code expectedPartition}. */
    public static Map<String, AttributeValue> decode(String cursor, String partitionAttribute, String expectedPartition) {
        Map<String, AttributeValue> key = new HashMap<>();
        try {
            String text = new String(Base64.getUrlDecoder().decode(cursor), StandardCharsets.UTF_8);
            for (String line : text.split("\n")) {
                if (line.isEmpty()) {
                    continue;
                }
                int eq = line.indexOf('=');
                if (eq <= 0) {
                    throw invalid();
                }
                key.put(line.substring(0, eq), AttributeValue.fromS(line.substring(eq + 1)));
            }
        } catch (IllegalArgumentException e) {
            throw invalid();
        }
        AttributeValue partition = key.get(partitionAttribute);
        if (partition == null || !expectedPartition.equals(partition.s()) || !key.containsKey(Keys.PK) || !key.containsKey(Keys.SK)) {
            throw invalid();
        }
        return key;
    }

    private static InvalidInput invalid() {
        return new InvalidInput("invalid-cursor", "cursor", "the cursor is not one this list issued");
    }
}
