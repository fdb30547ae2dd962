package com.enterpriseadmin.notification;

/**
 * A change the notifier recognises but cannot act on (an item missing what its kind always has): a poison
 * record. It is reported as a batch item failure, so that it ends in the dead-letter queue, never dropped.
 */
public final class UnreadableChange extends RuntimeException {
    public UnreadableChange(String message) {
        super(message);
    }
}
