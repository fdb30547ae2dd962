package com.enterpriseadmin.events;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * One integration event (docs/events.md): a stable {@code id} (derived from the stream record, so a replay of the
 * record gives the same id), the {@code type} ({@code invitation.created}, ...), the schema {@code version} of that
 * type, when the change happened, the organization it belongs to and the type's {@code data}.
 */
public record IntegrationEvent(String id, String type, int version, Instant time, String organizationId, Map<String, Object> data) {

    /** Every type's current schema version; a breaking change of a type's data is a new version (docs/events.md). */
    public static final int VERSION = 1;

    public IntegrationEvent {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(time, "time");
        Objects.requireNonNull(organizationId, "organizationId");
        data = data == null ? Map.of() : java.util.Collections.unmodifiableMap(new LinkedHashMap<>(data));
    }

    /** The envelope as published (EventBridge {@code Detail}) and as a webhook's body. */
    public Map<String, Object> envelope() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("id", id);
        m.put("type", type);
        m.put("version", version);
        m.put("time", com.enterpriseadmin.store.Ids.at(time));
        m.put("organizationId", organizationId);
        m.put("data", data);
        return m;
    }
}
