package com.enterpriseadmin.events;

import static com.enterpriseadmin.events.EventTypes.*;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * Maps one table change (a stream record's old and new images) to the integration events it means
 * (docs/events.md, "Which change gives which event"). The item kind is the {@code type} attribute every item
 * carries (docs/key-design.md); items of other kinds, and changes of no interest (a team's counters moving on a
 * consumption), give no event.
 *
 * <p>The event id is derived from the record (the type, the item's key and the stream sequence number), so a
 * record delivered twice gives the same ids; it starts with the change's time in ms, so ids sort by time.
 */
public final class EventMapper {

    /** Audit actions that record a repair of drift by the reconciliation job (docs/credits.md). */
    private static final Set<String> DRIFT_ACTIONS = Set.of("credits.reconciled", "usage.reconciled",
            "holds.counters-reconciled", "invitations.counter-reconciled");

    private final com.fasterxml.jackson.databind.ObjectMapper mapper;

    public EventMapper(com.fasterxml.jackson.databind.ObjectMapper mapper) {
        this.mapper = mapper;
    }

    public List<IntegrationEvent> map(StreamRecord r) {
        Map<String, Object> now = r.current();
        String kind = str(now, "type");
        if (kind == null) {
            return List.of();
        }
        List<Draft> drafts = switch (kind) {
            case "INVITATION" -> invitation(r);
            case "MEMBERSHIP" -> member(r, "organization");
            case "TEAM_MEMBER" -> member(r, "team");
            case "TEAM" -> team(r);
            case "LEDGER" -> ledger(r);
            case "ALERT" -> alert(r);
            case "AUDIT" -> drift(r);
            default -> List.of();
        };
        String orgId = orgId(now);
        if (orgId == null) {
            return List.of();
        }
        Instant time = time(r);
        List<IntegrationEvent> out = new ArrayList<>();
        for (Draft d : drafts) {
            out.add(new IntegrationEvent(id(d.type, r, time), d.type, IntegrationEvent.VERSION, time, orgId, d.data));
        }
        return out;
    }

    private record Draft(String type, Map<String, Object> data) {}

    // ------------------------------------------------------------------ per item kind

    private List<Draft> invitation(StreamRecord r) {
        Map<String, Object> n = r.newImage();
        Map<String, Object> o = r.oldImage();
        if (n.isEmpty()) {
            return List.of();
        }
        Map<String, Object> data = data("invitationId", str(n, "invitationId", idFromKey(n, "INVITATION#")),
                "email", n.get("email"), "inviteeUserId", n.get("inviteeUserId"), "role", n.get("role"),
                "status", n.get("status"), "invitedBy", n.get("invitedBy"), "expiresAt", n.get("expiresAt"),
                "teams", n.getOrDefault("teams", List.of()));
        String status = str(n, "status");
        if (o.isEmpty()) {
            return "PENDING".equals(status) ? List.of(new Draft(INVITATION_CREATED, data)) : List.of();
        }
        String before = str(o, "status");
        if ("PENDING".equals(before) && !"PENDING".equals(status) && status != null) {
            String type = switch (status) {
                case "ACCEPTED" -> INVITATION_ACCEPTED;
                case "DECLINED" -> INVITATION_DECLINED;
                case "REVOKED" -> INVITATION_REVOKED;
                case "EXPIRED" -> INVITATION_EXPIRED;
                default -> null;
            };
            return type == null ? List.of() : List.of(new Draft(type, data));
        }
        if ("PENDING".equals(status) && num(n, "sendCount") > num(o, "sendCount")) {
            data.put("sendCount", num(n, "sendCount"));
            return List.of(new Draft(INVITATION_RESENT, data));
        }
        return List.of();
    }

    private List<Draft> member(StreamRecord r, String scope) {
        Map<String, Object> n = r.newImage();
        Map<String, Object> o = r.oldImage();
        Map<String, Object> item = r.current();
        Map<String, Object> data = data("scope", scope, "teamId", "team".equals(scope) ? item.get("teamId") : null,
                "userId", item.get("userId"), "email", item.get("email"), "role", item.get("role"));
        if (o.isEmpty()) {
            data.put("actor", n.get("addedBy"));
            return List.of(new Draft(MEMBER_ADDED, data));
        }
        if (n.isEmpty()) {
            return List.of(new Draft(MEMBER_REMOVED, data));
        }
        if (!Objects.equals(o.get("role"), n.get("role"))) {
            data.put("previousRole", o.get("role"));
            return List.of(new Draft(MEMBER_ROLE_CHANGED, data));
        }
        return List.of();
    }

    private List<Draft> team(StreamRecord r) {
        Map<String, Object> n = r.newImage();
        Map<String, Object> o = r.oldImage();
        if (n.isEmpty()) {
            return List.of();
        }
        Map<String, Object> budget = budget(n);
        if (o.isEmpty()) {
            return List.of(new Draft(TEAM_CREATED, data("teamId", n.get("teamId"), "name", n.get("name"), "status", n.get("status"), "budget", budget)));
        }
        List<Draft> out = new ArrayList<>();
        boolean archived = "ACTIVE".equals(o.get("status")) && "ARCHIVED".equals(n.get("status"));
        if (archived) {
            out.add(new Draft(TEAM_ARCHIVED, data("teamId", n.get("teamId"), "name", n.get("name"), "archivedAt", n.get("archivedAt"))));
        } else if (!Objects.equals(o.get("name"), n.get("name")) || !Objects.equals(o.get("status"), n.get("status"))) {
            Map<String, Object> changes = new LinkedHashMap<>();
            for (String f : List.of("name", "status")) {
                if (!Objects.equals(o.get(f), n.get(f))) {
                    changes.put(f, data("from", o.get(f), "to", n.get(f)));
                }
            }
            out.add(new Draft(TEAM_UPDATED, data("teamId", n.get("teamId"), "name", n.get("name"), "status", n.get("status"), "changes", changes)));
        }
        Map<String, Object> previous = budget(o);
        if (!previous.equals(budget)) {
            out.add(new Draft(BUDGET_CHANGED, data("teamId", n.get("teamId"), "budget", budget, "previous", previous)));
        }
        return out;
    }

    private static Map<String, Object> budget(Map<String, Object> team) {
        return data("mode", team.get("budgetMode"), "limit", team.get("budgetLimit"), "period", team.get("budgetPeriod"));
    }

    private List<Draft> ledger(StreamRecord r) {
        Map<String, Object> n = r.newImage();
        if (!r.oldImage().isEmpty() || n.isEmpty() || !"TOP_UP".equals(n.get("kind"))) {
            return List.of();
        }
        return List.of(new Draft(CREDITS_TOPPED_UP, data("entryId", n.get("entryId"), "amount", n.get("amount"),
                "source", n.get("source"), "reference", n.get("reference"), "actor", n.get("actor"))));
    }

    /**
     * Budget alerts (ALERT items, one per team or organization, period, threshold and direction): the first write of
     * one is the event. The direction comes from {@code direction} (or {@code kind}): anything naming a recovery
     * ({@code RECOVERED}, {@code recovery}, ...) is {@code budget.recovered}, the rest {@code budget.threshold-crossed}.
     * Every scalar attribute of the item but the keys is the event's data.
     */
    private List<Draft> alert(StreamRecord r) {
        Map<String, Object> n = r.newImage();
        if (!r.oldImage().isEmpty() || n.isEmpty()) {
            return List.of();
        }
        String direction = String.valueOf(n.getOrDefault("direction", n.getOrDefault("kind", ""))).toUpperCase(java.util.Locale.ROOT);
        Map<String, Object> data = new LinkedHashMap<>();
        n.forEach((k, v) -> {
            if (v != null && !k.equals("PK") && !k.equals("SK") && !k.startsWith("GSI") && !k.equals("type") && !k.equals("ttl")
                    && !k.equals("orgId")) {
                data.put(k, v);
            }
        });
        return List.of(new Draft(direction.contains("RECOVER") ? BUDGET_RECOVERED : BUDGET_THRESHOLD_CROSSED, data));
    }

    /** A repair of drift by the reconciliation job is written as an audit entry (actor {@code system}). */
    private List<Draft> drift(StreamRecord r) {
        Map<String, Object> n = r.newImage();
        if (!r.oldImage().isEmpty() || n.isEmpty() || !DRIFT_ACTIONS.contains(str(n, "action"))) {
            return List.of();
        }
        return List.of(new Draft(RECONCILIATION_DRIFT_DETECTED, data("action", n.get("action"), "targetType", n.get("targetType"),
                "targetId", n.get("targetId"), "before", parsed(n.get("before")), "after", parsed(n.get("after")))));
    }

    // ------------------------------------------------------------------ helpers

    private Object parsed(Object jsonText) {
        if (!(jsonText instanceof String s)) {
            return Map.of();
        }
        try {
            return mapper.readValue(s, Map.class);
        } catch (java.io.IOException e) {
            return Map.of();
        }
    }

    /** The event id: {@code evt_} + the change's epoch ms (13 digits) + 20 hex of SHA-256(type, key, sequence number). */
    static String id(String type, StreamRecord r, Instant time) {
        String key = r.keys().getOrDefault("PK", "") + "|" + r.keys().getOrDefault("SK", "");
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256")
                    .digest((type + "|" + key + "|" + r.sequenceNumber()).getBytes(StandardCharsets.UTF_8));
            return String.format("evt_%013d%s", time.toEpochMilli(), HexFormat.of().formatHex(digest, 0, 10));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** An event id as {@link #id} makes them (the webhook routes' {@code deliveryId}). */
    public static boolean isEventId(String s) {
        return s != null && s.matches("evt_[0-9]{13}[0-9a-f]{20}");
    }

    /** When the change happened: the item's own {@code updatedAt} / {@code at} / {@code createdAt}, else the record's time. */
    private static Instant time(StreamRecord r) {
        Map<String, Object> item = r.newImage().isEmpty() ? Map.of() : r.newImage();
        for (String f : List.of("updatedAt", "at", "createdAt")) {
            if (item.get(f) instanceof String s) {
                try {
                    return Instant.parse(s);
                } catch (DateTimeParseException ignored) {
                    // next
                }
            }
        }
        return r.approximateTime();
    }

    private static String orgId(Map<String, Object> item) {
        String orgId = str(item, "orgId");
        if (orgId != null) {
            return orgId;
        }
        String pk = str(item, "PK");
        if (pk != null && pk.startsWith("ORG#")) {
            int end = pk.indexOf('#', 4);
            return end < 0 ? pk.substring(4) : pk.substring(4, end);
        }
        return null;
    }

    private static String idFromKey(Map<String, Object> item, String prefix) {
        String pk = str(item, "PK");
        return pk != null && pk.startsWith(prefix) ? pk.substring(prefix.length()) : null;
    }

    private static String str(Map<String, Object> item, String name) {
        return item.get(name) instanceof String s ? s : null;
    }

    private static String str(Map<String, Object> item, String name, String fallback) {
        String s = str(item, name);
        return s != null ? s : fallback;
    }

    private static long num(Map<String, Object> item, String name) {
        return item.get(name) instanceof Number n ? n.longValue() : 0;
    }

    /** A data map of the non-null pairs, in order. */
    private static Map<String, Object> data(Object... keyValues) {
        Map<String, Object> m = new LinkedHashMap<>();
        for (int i = 0; i + 1 < keyValues.length; i += 2) {
            if (keyValues[i + 1] != null) {
                m.put((String) keyValues[i], keyValues[i + 1]);
            }
        }
        return m;
    }
}
