package com.enterpriseadmin.reconciliation;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.enterpriseadmin.audit.AuditStore;
import com.enterpriseadmin.auth.Policy;
import com.enterpriseadmin.credit.CreditStore;
import com.enterpriseadmin.credit.HoldClosing;
import com.enterpriseadmin.credit.Idempotency;
import com.enterpriseadmin.http.Json;
import com.enterpriseadmin.support.Events;
import com.enterpriseadmin.support.FakeDynamo;
import com.fasterxml.jackson.databind.JsonNode;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The worker's two ways in, fed from events/: an SQS batch (partial failures) and a direct invocation. */
class ReconcileOrganizationHandlerTest {
    private static final Instant NOW = Instant.parse("2026-11-28T02:00:00Z");
    private final FakeDynamo dynamo = new FakeDynamo();
    private final Json json = new Json();
    private final Clock clock = Clock.fixed(NOW, ZoneOffset.UTC);
    private final ReconcileOrganizationHandler handler = new ReconcileOrganizationHandler(json.mapper(), () -> {
        AuditStore audit = new AuditStore(dynamo.db, json);
        CreditStore credits = new CreditStore(dynamo.db, audit);
        HoldClosing holds = new HoldClosing(new Policy((org, user) -> Optional.empty()), credits, new Idempotency(dynamo.db, json, clock), audit, json, clock);
        return new Reconciliation(credits, new ReconciliationStore(dynamo.db, audit), holds, clock, false, Duration.ZERO);
    });

    private JsonNode invoke(byte[] event) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        handler.handleRequest(new ByteArrayInputStream(event), out, null);
        return json.mapper().readTree(out.toByteArray());
    }

    @Test
    void aDirectInvocationReconcilesThatOrganizationAndAnswersItsReport() throws Exception {
        JsonNode report = invoke(Events.load("ReconcileOrganization-one-organization.json"));
        assertEquals("0example0organization00001", report.path("orgId").asText());
        assertTrue(report.path("consistent").asBoolean(), report.toString());
        assertTrue(dynamo.items.containsKey("ORG#0example0organization00001|RECONCILED"), "the first run stores a checkpoint");
        assertThrows(IllegalArgumentException.class, () -> invoke("{\"orgId\":\"../etc\"}".getBytes()));
    }

    @Test
    void anSqsBatchAnswersOnlyTheMessagesThatFailed() throws Exception {
        JsonNode ok = invoke(Events.load("ReconcileOrganization-sqs-batch.json"));
        assertEquals(0, ok.path("batchItemFailures").size(), ok.toString());
        JsonNode batch = json.mapper().readTree(Events.load("ReconcileOrganization-sqs-batch.json"));
        com.fasterxml.jackson.databind.node.ArrayNode records = (com.fasterxml.jackson.databind.node.ArrayNode) batch.path("Records");
        com.fasterxml.jackson.databind.node.ObjectNode bad = records.get(0).deepCopy();
        bad.put("messageId", "bad-1").put("body", "{\"orgId\":\"not an id\"}");
        records.add(bad);
        JsonNode answer = invoke(json.mapper().writeValueAsBytes(batch));
        assertEquals(1, answer.path("batchItemFailures").size(), answer.toString());
        assertEquals("bad-1", answer.path("batchItemFailures").get(0).path("itemIdentifier").asText());
    }
}
