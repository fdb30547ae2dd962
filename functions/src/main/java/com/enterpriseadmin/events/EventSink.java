package com.enterpriseadmin.events;

import java.util.List;

/**
 * Where the events of one stream record go: the EventBridge bus, the webhook fan-out. A sink that throws fails the
 * record, which is then retried (with the same event ids): every sink must accept the same events twice.
 */
@FunctionalInterface
public interface EventSink {
    void accept(List<IntegrationEvent> events);
}
