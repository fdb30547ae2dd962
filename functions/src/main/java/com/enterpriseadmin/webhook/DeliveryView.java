package com.enterpriseadmin.webhook;

import java.time.Instant;
import java.util.List;

/** A delivery as the API shows it: the event, its status and every attempt (not the body: the event is in docs/events.md form). */
public record DeliveryView(String deliveryId, String eventId, String eventType, Delivery.Status status, int attemptCount,
                           List<Delivery.Attempt> attempts, Instant createdAt, Instant nextAttemptAt) {

    public static DeliveryView of(Delivery d) {
        return new DeliveryView(d.eventId(), d.eventId(), d.eventType(), d.status(), d.attemptCount(), d.attempts(), d.createdAt(), d.nextAttemptAt());
    }
}
