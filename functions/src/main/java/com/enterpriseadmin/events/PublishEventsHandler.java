package com.enterpriseadmin.events;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import com.enterpriseadmin.config.Wiring;
import com.enterpriseadmin.observability.Log;
import com.enterpriseadmin.observability.Metrics;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * The table's stream → integration events (docs/events.md). Records are handled in order; each one's events go to
 * every sink (the EventBridge bus, the webhook fan-out). The first record that fails is answered as the batch item
 * failure (its sequence number) and the records after it are not handled: Lambda retries the batch from that record
 * ({@code ReportBatchItemFailures}, with bisection on error), so order per item is kept and nothing is skipped. After
 * the bounded retries the record goes to the on-failure destination (a queue, with an alarm).
 */
public final class PublishEventsHandler implements RequestStreamHandler {
    private final ObjectMapper mapper;
    private final EventMapper events;
    private final Supplier<List<EventSink>> sinks;

    public PublishEventsHandler() {
        this(Wiring.get().json().mapper(), new EventMapper(Wiring.get().json().mapper()), Wiring.get()::eventSinks);
    }

    PublishEventsHandler(ObjectMapper mapper, EventMapper events, Supplier<List<EventSink>> sinks) {
        this.mapper = mapper;
        this.events = events;
        this.sinks = sinks;
    }

    @Override
    public void handleRequest(InputStream input, OutputStream output, Context context) throws IOException {
        JsonNode event = mapper.readTree(input);
        Log.begin("PublishEvents", context == null ? null : context.getAwsRequestId());
        int published = 0;
        for (StreamRecord r : StreamRecord.decodeAll(event)) {
            try {
                List<IntegrationEvent> mapped = events.map(r);
                if (mapped.isEmpty()) {
                    continue;
                }
                for (EventSink sink : sinks.get()) {
                    sink.accept(mapped);
                }
                published += mapped.size();
                for (IntegrationEvent e : mapped) {
                    Log.info("event-published", "eventId", e.id(), "eventType", e.type(), "orgId", e.organizationId());
                }
            } catch (RuntimeException e) {
                Log.error("event-publication-failed", e, "sequenceNumber", r.sequenceNumber());
                Metrics.count("EventsPublished", published, Map.of());
                mapper.writeValue(output, Map.of("batchItemFailures", List.of(Map.of("itemIdentifier", r.sequenceNumber()))));
                return;
            }
        }
        Metrics.count("EventsPublished", published, Map.of());
        mapper.writeValue(output, Map.of("batchItemFailures", List.of()));
    }
}
