package com.enterpriseadmin.webhook;

import com.enterpriseadmin.events.EventSink;
import com.enterpriseadmin.events.IntegrationEvent;
import com.enterpriseadmin.observability.Log;
import java.time.Clock;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * The events of a record → one delivery per enabled endpoint of the organization that asked for the type, and one
 * queue message for its first attempt (docs/webhooks.md, "Fan-out"). A replayed record finds its deliveries already
 * there (create-if-absent) and enqueues their first attempt again; the delivery worker drops a message whose attempt
 * was claimed already, so an endpoint is not called twice for it.
 */
public final class WebhookFanout implements EventSink {
    private final WebhookStore store;
    private final DeliveryQueue queue;
    private final Function<Object, String> json;
    private final Clock clock;

    public WebhookFanout(WebhookStore store, DeliveryQueue queue, Function<Object, String> json, Clock clock) {
        this.store = store;
        this.queue = queue;
        this.json = json;
        this.clock = clock;
    }

    @Override
    public void accept(List<IntegrationEvent> events) {
        Map<String, List<Webhook>> endpoints = new HashMap<>();
        for (IntegrationEvent e : events) {
            for (Webhook w : endpoints.computeIfAbsent(e.organizationId(), store::all)) {
                if (!w.enabled() || !w.wants(e.type())) {
                    continue;
                }
                Instant now = clock.instant();
                boolean created = store.putIfAbsent(new Delivery(e.organizationId(), w.webhookId(), e.id(), e.type(), Delivery.Status.PENDING, 0,
                        List.of(), now, now, null, json.apply(e.envelope())));
                queue.enqueue(new DeliveryMessage(e.organizationId(), w.webhookId(), e.id(), 1, 0), 0);
                Log.info("webhook-delivery-enqueued", "webhookId", w.webhookId(), "eventId", e.id(), "eventType", e.type(), "replayed", !created);
            }
        }
    }
}
