package com.enterpriseadmin.webhook;

/**
 * A delivery queue message: attempt {@code attempt} of the delivery of {@code eventId} to {@code webhookId}, not before
 * {@code notBefore} (epoch s; 0: now). SQS delays a message by at most 15 minutes: a longer wait is a message that
 * re-enqueues itself until it is due. A message whose attempt is not the delivery's next one is stale (a duplicate,
 * or superseded by a redelivery) and dropped.
 */
public record DeliveryMessage(String orgId, String webhookId, String eventId, int attempt, long notBefore) {}
