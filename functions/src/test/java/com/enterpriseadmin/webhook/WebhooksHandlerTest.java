package com.enterpriseadmin.webhook;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.enterpriseadmin.audit.AuditStore;
import com.enterpriseadmin.auth.MemberStatus;
import com.enterpriseadmin.auth.OrgRole;
import com.enterpriseadmin.auth.Policy;
import com.enterpriseadmin.http.Json;
import com.enterpriseadmin.organization.Membership;
import com.enterpriseadmin.organization.OrganizationStore;
import com.enterpriseadmin.support.FakeDynamo;
import com.enterpriseadmin.support.Invoke;
import com.enterpriseadmin.support.Invoke.Result;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.net.InetAddress;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/** The WebhooksFunction and DeliverWebhooksFunction on their sample events, server-free. */
class WebhooksHandlerTest {
    static final String ORG = "01hzxk3m5q7r9t1v3w5y7a9c1e";
    static final String CALLER = "3f1c2b7e-6a8d-4f3e-9d2a-0c1b2a3d4e5f";
    static final Instant NOW = Instant.parse("2026-11-29T10:00:00Z");

    final FakeDynamo dynamo = new FakeDynamo();
    final Json json = new Json();
    final Clock clock = Clock.fixed(NOW, ZoneOffset.UTC);
    final OrganizationStore organizations = new OrganizationStore(dynamo.db, new AuditStore(dynamo.db, json));
    final List<DeliveryMessage> enqueued = new ArrayList<>();
    final DeliveryQueue queue = new DeliveryQueue() {
        @Override public void enqueue(DeliveryMessage m, int delay) { enqueued.add(m); }
        @Override public void deadLetter(DeliveryMessage m, String reason) { throw new AssertionError("no dead letter here"); }
    };

    WebhooksHandler handler(boolean prod) {
        UrlGuard guard = new UrlGuard(prod, host -> host.equals("hooks.example.com")
                ? List.of(InetAddress.getByName("93.184.216.34")) : List.of(InetAddress.getByName("10.0.0.7")));
        return new WebhooksHandler(json, new Webhooks(new Policy(organizations), new WebhookStore(dynamo.db, new AuditStore(dynamo.db, json)),
                guard, queue, clock));
    }

    void member(OrgRole role) {
        dynamo.put(OrganizationStore.memberToItem(new Membership(ORG, CALLER, "ada@example.com", "Ada", role, MemberStatus.ACTIVE, Map.of(), NOW, NOW, 1)));
    }

    ObjectNode create(String body) {
        return Invoke.withBody(Invoke.event("Webhooks-create-webhook.json"), body);
    }

    @Test
    void anAdministratorRegistersAnEndpointAndSeesItsSecretOnce() {
        member(OrgRole.ADMIN);
        Result r = Invoke.run(handler(true), Invoke.event("Webhooks-create-webhook.json"));
        assertEquals(201, r.status(), r.json().toString());
        String secret = r.json().path("secret").asText();
        assertTrue(secret.startsWith("whsec_"), r.json().toString());
        assertEquals("ENABLED", r.json().path("status").asText());
        assertEquals(List.of("invitation.created", "member.added", "budget.threshold-crossed"),
                json.mapper().convertValue(r.json().path("eventTypes"), List.class));
        var tx = dynamo.transactions.get(0).transactItems();
        Map<String, AttributeValue> stored = tx.get(0).put().item();
        assertEquals(secret, stored.get("secret").s(), "the secret is kept to sign with");
        assertEquals("attribute_not_exists(PK)", tx.get(0).put().conditionExpression(), "create-if-absent");
        String audit = tx.get(1).put().item().toString();
        assertTrue(audit.contains("webhook.created"));
        assertFalse(audit.contains(secret), "the audit log never holds the secret");
        // Read back: no answer but the creation carries it.
        dynamo.put(stored);
        String id = r.json().path("webhookId").asText();
        Result get = Invoke.run(handler(true), Invoke.with(Invoke.event("Webhooks-create-webhook.json"), "GET /v1/organizations/{orgId}/webhooks/{webhookId}",
                "/v1/organizations/" + ORG + "/webhooks/" + id, "webhookId", id));
        assertEquals(200, get.status(), get.json().toString());
        assertFalse(get.json().has("secret"));
        assertEquals("https://hooks.example.com/enterprise-admin", get.json().path("url").asText());
    }

    @Test
    void anOrdinaryUserMayNotAndAStrangerSeesNothing() {
        member(OrgRole.USER);
        Result r = Invoke.run(handler(true), Invoke.event("Webhooks-create-webhook.json"));
        assertEquals(403, r.status());
        dynamo.items.clear();
        assertEquals(404, Invoke.run(handler(true), Invoke.event("Webhooks-create-webhook.json")).status());
        assertTrue(dynamo.transactions.isEmpty());
    }

    @Test
    void badEndpointsAreClear400s() {
        member(OrgRole.OWNER);
        Map<String, String> cases = Map.of(
                "{\"url\":\"https://internal.example.com/x\",\"eventTypes\":[\"member.added\"]}", "webhook-url-not-allowed",
                "{\"url\":\"http://127.0.0.1:9000/x\",\"eventTypes\":[\"member.added\"]}", "webhook-url-not-allowed",
                "{\"url\":\"https://hooks.example.com/x\",\"eventTypes\":[\"member.exploded\"]}", "invalid-input",
                "{\"url\":\"https://hooks.example.com/x\",\"eventTypes\":[]}", "invalid-input",
                "{\"url\":\"https://hooks.example.com/x\",\"eventTypes\":[\"member.added\"],\"secret\":\"mine\"}", "invalid-input");
        cases.forEach((body, code) -> {
            Result r = Invoke.run(handler(true), create(body));
            assertEquals(400, r.status(), body + " → " + r.json());
            assertTrue(r.json().path("type").asText().endsWith(code), body + " → " + r.json());
        });
        assertTrue(dynamo.transactions.isEmpty());
        // Outside prod the local receiver is fine.
        assertEquals(201, Invoke.run(handler(false), create("{\"url\":\"http://127.0.0.1:9000/x\",\"eventTypes\":[\"member.added\"]}")).status());
    }

    @Test
    void aDeliveryMessageForNoKnownDeliveryIsDroppedNotRetried() throws Exception {
        WebhookDeliveries deliveries = new WebhookDeliveries(new WebhookStore(dynamo.db, new AuditStore(dynamo.db, json)), queue,
                (url, headers, body) -> { throw new AssertionError("nothing to send"); }, new UrlGuard(true, h -> List.of()),
                RetryPolicy.DEFAULT, clock);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        new DeliverWebhooksHandler(json.mapper(), () -> deliveries).handleRequest(
                new ByteArrayInputStream(json.mapper().writeValueAsBytes(Invoke.event("DeliverWebhooks-first-attempt.json"))), out, null);
        assertEquals(0, json.mapper().readTree(out.toByteArray()).path("batchItemFailures").size());
        assertTrue(enqueued.isEmpty());
    }
}
