package com.enterpriseadmin.webhook;

import com.enterpriseadmin.audit.AuditEntry;
import com.enterpriseadmin.auth.Action;
import com.enterpriseadmin.auth.Caller;
import com.enterpriseadmin.auth.Policy;
import com.enterpriseadmin.error.DomainException;
import com.enterpriseadmin.events.EventMapper;
import com.enterpriseadmin.events.EventTypes;
import com.enterpriseadmin.store.Ids;
import com.enterpriseadmin.store.Page;
import com.enterpriseadmin.store.Retry;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The webhook endpoints of an organization (docs/webhooks.md): OWNER/ADMIN only ({@link Action#MANAGE_WEBHOOKS}).
 * The secret is generated here and returned once, by {@link #create}; no other answer carries it.
 */
public final class Webhooks {
    public static final int MAX_PER_ORGANIZATION = 10;
    static final int MAX_DESCRIPTION = 200;

    /** A created endpoint and its secret (shown this once). */
    public record Created(Webhook webhook, String secret) {}

    private final Policy policy;
    private final WebhookStore store;
    private final UrlGuard guard;
    private final DeliveryQueue queue;
    private final Clock clock;

    public Webhooks(Policy policy, WebhookStore store, UrlGuard guard, DeliveryQueue queue, Clock clock) {
        this.policy = policy;
        this.store = store;
        this.guard = guard;
        this.queue = queue;
        this.clock = clock;
    }

    public Created create(Caller caller, String orgId, CreateWebhookRequest body) {
        policy.require(caller, orgId, Action.MANAGE_WEBHOOKS);
        guard.refusal(body.url()).ifPresent(reason -> {
            throw new DomainException.InvalidInput("webhook-url-not-allowed", "url", reason);
        });
        List<String> types = eventTypes(body.eventTypes());
        String description = description(body.description());
        if (store.all(orgId).size() >= MAX_PER_ORGANIZATION) {
            throw new DomainException.Conflict("too-many-webhooks", "an organization has at most " + MAX_PER_ORGANIZATION + " webhook endpoints");
        }
        Instant now = clock.instant();
        String secret = Signature.newSecret();
        Webhook w = new Webhook(Ids.newId(), orgId, body.url(), types, description, Webhook.Status.ENABLED, null, now, now, null, 1, secret);
        store.create(w, AuditEntry.of(orgId, caller.userId(), "webhook.created", target(w), Map.of(), audited(w), now));
        return new Created(w, secret);
    }

    public List<Webhook> list(Caller caller, String orgId) {
        policy.require(caller, orgId, Action.MANAGE_WEBHOOKS);
        return store.all(orgId);
    }

    public Webhook get(Caller caller, String orgId, String webhookId) {
        policy.require(caller, orgId, Action.MANAGE_WEBHOOKS);
        return find(orgId, webhookId);
    }

    public Webhook update(Caller caller, String orgId, String webhookId, UpdateWebhookRequest body) {
        policy.require(caller, orgId, Action.MANAGE_WEBHOOKS);
        if (body.eventTypes() == null && body.enabled() == null && body.description() == null) {
            throw new DomainException.InvalidInput("body", "give at least one of eventTypes, enabled, description");
        }
        List<String> types = body.eventTypes() == null ? null : eventTypes(body.eventTypes());
        String description = description(body.description());
        return Retry.until(n -> {
            Webhook read = find(orgId, webhookId);
            Instant now = clock.instant();
            Webhook.Status status = body.enabled() == null ? read.status() : body.enabled() ? Webhook.Status.ENABLED : Webhook.Status.DISABLED;
            boolean enabling = status == Webhook.Status.ENABLED && !read.enabled();
            String reason = status == Webhook.Status.ENABLED ? null : read.enabled() ? "disabled-by-administrator" : read.disabledReason();
            Webhook next = new Webhook(read.webhookId(), orgId, read.url(), types == null ? read.eventTypes() : types,
                    description == null ? read.description() : description, status, reason,
                    read.createdAt(), now, enabling ? null : read.failingSince(), read.version() + 1, read.secret());
            boolean done = store.update(read, next, AuditEntry.of(orgId, caller.userId(), "webhook.updated", target(read), audited(read), audited(next), now));
            return done ? Optional.of(next) : Optional.empty();
        });
    }

    public void delete(Caller caller, String orgId, String webhookId) {
        policy.require(caller, orgId, Action.MANAGE_WEBHOOKS);
        Retry.until(n -> {
            Webhook read = find(orgId, webhookId);
            Instant now = clock.instant();
            return store.delete(read, AuditEntry.of(orgId, caller.userId(), "webhook.deleted", target(read), audited(read), Map.of(), now))
                    ? Optional.of(Boolean.TRUE) : Optional.empty();
        });
    }

    public Page<Delivery> deliveries(Caller caller, String orgId, String webhookId, Optional<String> cursor, int limit) {
        policy.require(caller, orgId, Action.MANAGE_WEBHOOKS);
        find(orgId, webhookId);
        return store.deliveries(orgId, webhookId, cursor, limit);
    }

    /** Sends the delivery again now (a new 24 h retry window), whatever its status; the endpoint must be enabled. */
    public Delivery redeliver(Caller caller, String orgId, String webhookId, String deliveryId) {
        policy.require(caller, orgId, Action.MANAGE_WEBHOOKS);
        Webhook w = find(orgId, webhookId);
        if (!w.enabled()) {
            throw new DomainException.Conflict("webhook-disabled", "the webhook endpoint is disabled: enable it first");
        }
        if (!EventMapper.isEventId(deliveryId)) {
            throw notFoundDelivery();
        }
        return Retry.until(n -> {
            Delivery read = store.delivery(orgId, webhookId, deliveryId).orElseThrow(Webhooks::notFoundDelivery);
            Instant now = clock.instant();
            if (!store.restart(read, now)) {
                return Optional.empty();
            }
            queue.enqueue(new DeliveryMessage(orgId, webhookId, deliveryId, read.attemptCount() + 1, 0), 0);
            return Optional.of(new Delivery(read.orgId(), read.webhookId(), read.eventId(), read.eventType(), Delivery.Status.PENDING,
                    read.attemptCount(), read.attempts(), read.createdAt(), now, null, read.payload()));
        });
    }

    private Webhook find(String orgId, String webhookId) {
        if (!Ids.isWellFormed(webhookId)) {
            throw notFound();
        }
        return store.get(orgId, webhookId).orElseThrow(Webhooks::notFound);
    }

    static List<String> eventTypes(List<String> raw) {
        if (raw == null || raw.isEmpty()) {
            throw new DomainException.InvalidInput("eventTypes", "eventTypes must list at least one event type (docs/events.md)");
        }
        LinkedHashSet<String> types = new LinkedHashSet<>();
        for (String t : raw) {
            if (t == null || !EventTypes.known(t)) {
                throw new DomainException.InvalidInput("eventTypes", "unknown event type '" + t + "'; known: " + String.join(", ", EventTypes.ALL));
            }
            types.add(t);
        }
        return new ArrayList<>(types);
    }

    /** Text (not blank, no control characters) of at most 200 characters, stripped; null when not given. */
    private static String description(String raw) {
        if (raw == null) {
            return null;
        }
        if (raw.length() > MAX_DESCRIPTION || raw.isBlank() || raw.chars().anyMatch(Character::isISOControl)) {
            throw new DomainException.InvalidInput("description", "description is text of at most " + MAX_DESCRIPTION
                    + " characters, not blank, without control characters");
        }
        return raw.strip();
    }

    private static AuditEntry.Target target(Webhook w) {
        return new AuditEntry.Target("webhook", w.webhookId());
    }

    /** What the audit log keeps of an endpoint: never its secret. */
    private static Map<String, Object> audited(Webhook w) {
        return AuditEntry.state("url", w.url(), "eventTypes", w.eventTypes(), "description", w.description(), "status", w.status(),
                "disabledReason", w.disabledReason());
    }

    static DomainException.NotFound notFound() {
        return new DomainException.NotFound("webhook-not-found", "no such webhook endpoint");
    }

    static DomainException.NotFound notFoundDelivery() {
        return new DomainException.NotFound("delivery-not-found", "no such delivery");
    }
}
