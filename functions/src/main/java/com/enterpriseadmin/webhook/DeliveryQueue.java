package com.enterpriseadmin.webhook;

/** Where delivery attempts wait: the delivery queue (at most 15 minutes' delay) and its dead-letter queue. */
public interface DeliveryQueue {
    /** Longest delay SQS gives one message. */
    int MAX_DELAY_SECONDS = 900;

    void enqueue(DeliveryMessage message, int delaySeconds);

    /** A delivery given up after its retry window: kept on the dead-letter queue with the reason. */
    void deadLetter(DeliveryMessage message, String reason);
}
