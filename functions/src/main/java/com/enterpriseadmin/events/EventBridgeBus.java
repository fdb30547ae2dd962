package com.enterpriseadmin.events;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.ArrayList;
import java.util.List;
import software.amazon.awssdk.services.eventbridge.EventBridgeClient;
import software.amazon.awssdk.services.eventbridge.model.PutEventsRequestEntry;
import software.amazon.awssdk.services.eventbridge.model.PutEventsResponse;

/**
 * Publishes events on the template's bus: {@code Source} {@code enterprise-admin}, {@code DetailType} the event type,
 * {@code Detail} the envelope (docs/events.md). PutEvents takes 10 entries a call; an entry EventBridge refused fails
 * the whole call (the record is retried, with the same ids: consumers deduplicate on {@code detail.id}).
 */
public final class EventBridgeBus implements EventSink {
    public static final String SOURCE = "enterprise-admin";

    private final EventBridgeClient client;
    private final ObjectMapper mapper;
    private final String busName;

    public EventBridgeBus(EventBridgeClient client, ObjectMapper mapper, String busName) {
        this.client = client;
        this.mapper = mapper;
        this.busName = busName;
    }

    @Override
    public void accept(List<IntegrationEvent> events) {
        for (int i = 0; i < events.size(); i += 10) {
            List<PutEventsRequestEntry> entries = new ArrayList<>();
            for (IntegrationEvent e : events.subList(i, Math.min(events.size(), i + 10))) {
                entries.add(PutEventsRequestEntry.builder().eventBusName(busName).source(SOURCE).detailType(e.type())
                        .time(e.time()).resources(List.of()).detail(detail(e)).build());
            }
            PutEventsResponse response = client.putEvents(b -> b.entries(entries));
            if (response.failedEntryCount() != null && response.failedEntryCount() > 0) {
                throw new IllegalStateException("EventBridge refused " + response.failedEntryCount() + " of " + entries.size() + " events");
            }
        }
    }

    private String detail(IntegrationEvent e) {
        try {
            return mapper.writeValueAsString(e.envelope());
        } catch (JsonProcessingException ex) {
            throw new IllegalStateException(ex);
        }
    }
}
