package com.enterpriseadmin.webhook;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import com.enterpriseadmin.config.Wiring;
import com.enterpriseadmin.observability.Log;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * The delivery worker (an SQS event, {@code ReportBatchItemFailures}): each message is one attempt of one delivery
 * ({@link WebhookDeliveries}). A message whose handling threw (the table or the queue did not answer) is answered as a
 * batch item failure and comes back after the visibility timeout, then goes to the dead-letter queue. A failed POST is
 * not such a failure: its retry is a new message, scheduled by the backoff.
 */
public final class DeliverWebhooksHandler implements RequestStreamHandler {
    private final ObjectMapper mapper;
    private final Supplier<WebhookDeliveries> deliveries;

    public DeliverWebhooksHandler() {
        this(Wiring.get().json().mapper(), Wiring.get()::webhookDeliveries);
    }

    DeliverWebhooksHandler(ObjectMapper mapper, Supplier<WebhookDeliveries> deliveries) {
        this.mapper = mapper;
        this.deliveries = deliveries;
    }

    @Override
    public void handleRequest(InputStream input, OutputStream output, Context context) throws IOException {
        JsonNode event = mapper.readTree(input);
        Log.begin("DeliverWebhooks", context == null ? null : context.getAwsRequestId());
        List<Map<String, String>> failures = new ArrayList<>();
        for (JsonNode record : event.path("Records")) {
            String messageId = record.path("messageId").asText();
            try {
                DeliveryMessage m = mapper.readValue(record.path("body").asText(), DeliveryMessage.class);
                WebhookDeliveries.Outcome outcome = deliveries.get().handle(m);
                Log.info("webhook-message", "messageId", messageId, "eventId", m.eventId(), "attempt", m.attempt(), "outcome", outcome.name());
            } catch (IOException | RuntimeException e) {
                Log.error("webhook-message-failed", e, "messageId", messageId);
                failures.add(Map.of("itemIdentifier", messageId));
            }
        }
        mapper.writeValue(output, Map.of("batchItemFailures", failures));
    }
}
