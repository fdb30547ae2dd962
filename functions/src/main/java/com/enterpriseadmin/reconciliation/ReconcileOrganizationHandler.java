package com.enterpriseadmin.reconciliation;

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
 * The reconciliation worker. From the queue (an SQS event, {@code ReportBatchItemFailures}): each
 * message {@code {"orgId": "..."}} is one organization, reconciled on its own; the messages that failed
 * are answered as {@code batchItemFailures}, so SQS redelivers only them (then the dead-letter queue).
 * Invoked directly with {@code {"orgId": "..."}} (an operator, the tests): that organization, now, and
 * its report as the answer (a failure is the invocation's error).
 */
public final class ReconcileOrganizationHandler implements RequestStreamHandler {
    private final ObjectMapper mapper;
    private final Supplier<Reconciliation> reconciliation;

    public ReconcileOrganizationHandler() {
        this(Wiring.get().json().mapper(), Wiring.get()::reconciliation);
    }

    ReconcileOrganizationHandler(ObjectMapper mapper, Supplier<Reconciliation> reconciliation) {
        this.mapper = mapper;
        this.reconciliation = reconciliation;
    }

    @Override
    public void handleRequest(InputStream input, OutputStream output, Context context) throws IOException {
        JsonNode event = mapper.readTree(input);
        Log.begin("ReconcileOrganization", context == null ? null : context.getAwsRequestId());
        if (!event.has("Records")) {
            mapper.writeValue(output, reconciliation.get().reconcile(event.path("orgId").asText(null)));
            return;
        }
        List<Map<String, String>> failures = new ArrayList<>();
        for (JsonNode record : event.path("Records")) {
            String messageId = record.path("messageId").asText();
            try {
                reconciliation.get().reconcile(mapper.readTree(record.path("body").asText()).path("orgId").asText(null));
            } catch (IOException | RuntimeException e) {
                // One organization's failure must not fail the others: only its message comes back.
                Log.error("reconciliation-failed", e, "messageId", messageId);
                failures.add(Map.of("itemIdentifier", messageId));
            }
        }
        mapper.writeValue(output, Map.of("batchItemFailures", failures));
    }
}
