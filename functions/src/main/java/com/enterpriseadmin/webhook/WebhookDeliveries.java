package com.enterpriseadmin.webhook;

import com.enterpriseadmin.audit.AuditEntry;
import com.enterpriseadmin.observability.Log;
import com.enterpriseadmin.observability.Metrics;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One attempt of one delivery (a message of the delivery queue; docs/webhooks.md, "Delivery and retries"):
 * <ol>
 *   <li>a message whose attempt is not the delivery's next one, or for a delivery no longer PENDING, is dropped;</li>
 *   <li>a message not yet due (a wait longer than SQS's 15 minutes) goes back on the queue for what is left;</li>
 *   <li>the attempt is claimed (attempt count n-1 → n, conditional), so a duplicate message never sends twice;</li>
 *   <li>the POST, signed; a 2xx is success; anything else (or a refused address, a timeout) a failure;</li>
 *   <li>after a failure: the next attempt is enqueued after the backoff, unless it would fall outside the retry
 *       window (24 h): then the delivery is FAILED and dead-lettered. An endpoint failing for 3 days is disabled.</li>
 * </ol>
 * Nothing here touches credits; a failure here is retried or dead-lettered, never seen by a request.
 */
public final class WebhookDeliveries {
    public static final String EVENT_ID_HEADER = "Webhook-Event-Id";
    public static final String EVENT_TYPE_HEADER = "Webhook-Event-Type";
    public static final String ATTEMPT_HEADER = "Webhook-Attempt";

    private final WebhookStore store;
    private final DeliveryQueue queue;
    private final Sender sender;
    private final UrlGuard guard;
    private final RetryPolicy retry;
    private final Clock clock;

    public WebhookDeliveries(WebhookStore store, DeliveryQueue queue, Sender sender, UrlGuard guard, RetryPolicy retry, Clock clock) {
        this.store = store;
        this.queue = queue;
        this.sender = sender;
        this.guard = guard;
        this.retry = retry;
        this.clock = clock;
    }

    /** What became of a message (for the logs and the tests). */
    public enum Outcome { DROPPED, NOT_DUE, SUCCEEDED, RETRY_SCHEDULED, DEAD_LETTERED, ENDPOINT_GONE }

    public Outcome handle(DeliveryMessage m) {
        Instant now = clock.instant();
        Delivery d = store.delivery(m.orgId(), m.webhookId(), m.eventId()).orElse(null);
        if (d == null || d.status() != Delivery.Status.PENDING || d.attemptCount() != m.attempt() - 1) {
            return Outcome.DROPPED;
        }
        if (m.notBefore() > now.getEpochSecond()) {
            queue.enqueue(m, (int) Math.min(DeliveryQueue.MAX_DELAY_SECONDS, m.notBefore() - now.getEpochSecond()));
            return Outcome.NOT_DUE;
        }
        Webhook w = store.get(m.orgId(), m.webhookId()).orElse(null);
        if (!store.claim(m.orgId(), m.webhookId(), m.eventId(), m.attempt())) {
            return Outcome.DROPPED;
        }
        if (w == null || !w.enabled()) {
            // Nothing to call: the delivery ends without a POST (a redelivery after re-enabling sends it).
            Delivery.Attempt a = new Delivery.Attempt(m.attempt(), now, 0, w == null ? "endpoint-deleted" : "endpoint-disabled", 0);
            store.record(m.orgId(), m.webhookId(), m.eventId(), a, Delivery.Status.FAILED, null);
            return Outcome.ENDPOINT_GONE;
        }
        long started = System.nanoTime();
        Sender.Result result = guard.refusalAtDelivery(w.url()).map(reason -> new Sender.Result(0, "address-not-allowed"))
                .orElseGet(() -> sender.post(URI.create(w.url()), headers(w, d, m.attempt(), now), d.payload()));
        long ms = (System.nanoTime() - started) / 1_000_000;
        Delivery.Attempt a = new Delivery.Attempt(m.attempt(), now, result.statusCode(), result.error(), ms);
        Log.info("webhook-attempt", "webhookId", w.webhookId(), "eventId", d.eventId(), "attempt", m.attempt(),
                "statusCode", result.statusCode(), "error", result.error(), "durationMs", ms);
        if (result.error() == null) {
            store.record(m.orgId(), m.webhookId(), m.eventId(), a, Delivery.Status.SUCCEEDED, null);
            if (w.failingSince() != null) {
                store.markHealthy(m.orgId(), m.webhookId());
            }
            Metrics.count("WebhookDelivered", 1, Map.of());
            return Outcome.SUCCEEDED;
        }
        Metrics.count("WebhookAttemptFailed", 1, Map.of());
        store.markFailing(m.orgId(), m.webhookId(), now);
        Instant failingSince = w.failingSince() == null ? now : w.failingSince();
        if (!Duration.between(failingSince, now).minus(retry.disableAfter()).isNegative()) {
            boolean disabled = store.disable(w, "failing-since-" + com.enterpriseadmin.store.Ids.at(failingSince), now,
                    AuditEntry.of(w.orgId(), "system", "webhook.disabled", new AuditEntry.Target("webhook", w.webhookId()),
                            AuditEntry.state("status", Webhook.Status.ENABLED), AuditEntry.state("status", Webhook.Status.DISABLED,
                                    "failingSince", failingSince), now));
            if (disabled) {
                Log.warn("webhook-disabled", "webhookId", w.webhookId(), "failingSince", failingSince.toString());
                Metrics.count("WebhookDisabled", 1, Map.of());
            }
        }
        Duration delay = retry.delayAfter(m.attempt());
        Instant next = now.plus(delay);
        if (next.isAfter(d.retryFrom().plus(retry.window()))) {
            store.record(m.orgId(), m.webhookId(), m.eventId(), a, Delivery.Status.FAILED, null);
            queue.deadLetter(m, "retry window of " + retry.window() + " exhausted after " + m.attempt() + " attempts");
            Metrics.count("WebhookDeadLettered", 1, Map.of());
            return Outcome.DEAD_LETTERED;
        }
        store.record(m.orgId(), m.webhookId(), m.eventId(), a, Delivery.Status.PENDING, next);
        queue.enqueue(new DeliveryMessage(m.orgId(), m.webhookId(), m.eventId(), m.attempt() + 1, next.getEpochSecond()),
                (int) Math.min(DeliveryQueue.MAX_DELAY_SECONDS, delay.toSeconds()));
        return Outcome.RETRY_SCHEDULED;
    }

    static Map<String, String> headers(Webhook w, Delivery d, int attempt, Instant now) {
        Map<String, String> h = new LinkedHashMap<>();
        h.put("Content-Type", "application/json");
        h.put("User-Agent", "EnterpriseAdmin-Webhooks/1");
        h.put(EVENT_ID_HEADER, d.eventId());
        h.put(EVENT_TYPE_HEADER, d.eventType());
        h.put(ATTEMPT_HEADER, Integer.toString(attempt));
        h.put(Signature.HEADER, Signature.header(w.secret(), now.getEpochSecond(), d.payload()));
        return h;
    }
}
