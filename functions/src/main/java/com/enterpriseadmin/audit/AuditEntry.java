package com.enterpriseadmin.audit;

import com.enterpriseadmin.store.Ids;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * One append-only audit record: who ({@code actor}: a user id, or {@code "operator"} for operator
 * commands), did what ({@code action}, e.g. {@code member.role-changed}), to what ({@code target}),
 * the relevant state before and after (JSON-able maps of strings, numbers, lists and maps) and when.
 * It is always written in the same transaction as the change it records.
 */
public record AuditEntry(
        String entryId,
        String orgId,
        String actor,
        String action,
        Target target,
        Map<String, Object> before,
        Map<String, Object> after,
        Instant at) {

    public static final String OPERATOR = "operator";

    public AuditEntry {
        Objects.requireNonNull(orgId, "orgId");
        Objects.requireNonNull(actor, "actor");
        Objects.requireNonNull(action, "action");
        Objects.requireNonNull(target, "target");
        Objects.requireNonNull(at, "at");
        before = before == null ? Map.of() : copy(before);
        after = after == null ? Map.of() : copy(after);
    }

    /** A new entry with a fresh id. */
    public static AuditEntry of(String orgId, String actor, String action, Target target,
                                Map<String, Object> before, Map<String, Object> after, Instant at) {
        return new AuditEntry(Ids.newId(), orgId, actor, action, target, before, after, at);
    }

    /** What an entry is about: {@code organization}, {@code member} or {@code invitation}, and its id. */
    public record Target(String type, String id) {
        public static Target organization(String orgId) { return new Target("organization", orgId); }
        public static Target member(String userId) { return new Target("member", userId); }
        public static Target invitation(String invitationId) { return new Target("invitation", invitationId); }
    }

    /** Builds a before/after map, skipping null values, keeping insertion order. */
    public static Map<String, Object> state(Object... keyValues) {
        Map<String, Object> m = new LinkedHashMap<>();
        for (int i = 0; i + 1 < keyValues.length; i += 2) {
            if (keyValues[i + 1] != null) {
                Object v = keyValues[i + 1];
                m.put(String.valueOf(keyValues[i]), v instanceof Enum<?> e ? e.name() : v instanceof Instant t ? Ids.at(t) : v);
            }
        }
        return m;
    }

    private static Map<String, Object> copy(Map<String, Object> m) {
        return java.util.Collections.unmodifiableMap(new LinkedHashMap<>(m));
    }
}
