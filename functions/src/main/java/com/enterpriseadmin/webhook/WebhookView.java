package com.enterpriseadmin.webhook;

import java.time.Instant;
import java.util.List;

/** An endpoint as the API shows it: never its secret (only the creation answer carries that, once). */
public record WebhookView(String webhookId, String url, List<String> eventTypes, String description, Webhook.Status status,
                          String disabledReason, Instant failingSince, Instant createdAt, Instant updatedAt) {

    public static WebhookView of(Webhook w) {
        return new WebhookView(w.webhookId(), w.url(), w.eventTypes(), w.description(), w.status(), w.disabledReason(), w.failingSince(),
                w.createdAt(), w.updatedAt());
    }

    /** The creation answer: the endpoint and its signing secret, shown this once. */
    public record WithSecret(String webhookId, String url, List<String> eventTypes, String description, Webhook.Status status,
                             Instant createdAt, Instant updatedAt, String secret) {
        public static WithSecret of(Webhooks.Created c) {
            Webhook w = c.webhook();
            return new WithSecret(w.webhookId(), w.url(), w.eventTypes(), w.description(), w.status(), w.createdAt(), w.updatedAt(), c.secret());
        }
    }
}
