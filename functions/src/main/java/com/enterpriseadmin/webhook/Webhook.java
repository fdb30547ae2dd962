package com.enterpriseadmin.webhook;

import java.time.Instant;
import java.util.List;

/**
 * A registered endpoint of an organization: where its events of the chosen types are POSTed, signed with its
 * {@code secret} (never shown again after creation, see docs/webhooks.md). {@code failingSince} is the start of
 * the current run of failed attempts (absent while healthy); an endpoint failing for the configured time is
 * DISABLED with a reason.
 */
public record Webhook(String webhookId, String orgId, String url, List<String> eventTypes, String description, Status status,
                      String disabledReason, Instant createdAt, Instant updatedAt, Instant failingSince, long version, String secret) {

    public enum Status { ENABLED, DISABLED }

    public boolean enabled() {
        return status == Status.ENABLED;
    }

    public boolean wants(String eventType) {
        return eventTypes.contains(eventType);
    }
}
