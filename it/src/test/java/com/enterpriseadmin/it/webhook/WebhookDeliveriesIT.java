package com.enterpriseadmin.it.webhook;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.enterpriseadmin.audit.AuditEntry;
import com.enterpriseadmin.audit.AuditStore;
import com.enterpriseadmin.http.Json;
import com.enterpriseadmin.it.TestStack;
import com.enterpriseadmin.store.Db;
import com.enterpriseadmin.store.Ids;
import com.enterpriseadmin.webhook.Delivery;
import com.enterpriseadmin.webhook.DeliveryMessage;
import com.enterpriseadmin.webhook.DeliveryQueue;
import com.enterpriseadmin.webhook.RetryPolicy;
import com.enterpriseadmin.webhook.Sender;
import com.enterpriseadmin.webhook.UrlGuard;
import com.enterpriseadmin.webhook.Webhook;
import com.enterpriseadmin.webhook.WebhookDeliveries;
import com.enterpriseadmin.webhook.WebhookDeliveries.Outcome;
import com.enterpriseadmin.webhook.WebhookStore;
import java.net.InetAddress;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The delivery worker's rules against the local DynamoDB (moto), with a clock, a queue and a receiver of the test's:
 * a duplicate message never sends twice, a wait longer than SQS's 15 minutes hops, the 24 h window ends in the
 * dead-letter queue, an endpoint failing for 3 days is disabled, a name re-pointed to a private address is not called.
 */
class WebhookDeliveriesIT {
    private final TestStack stack = TestStack.get();
    private final Json json = new Json();
    private final Db db = new Db(stack.dynamo(), stack.tableName);
    private final WebhookStore store = new WebhookStore(db, new AuditStore(db, json));
    private final String orgId = Ids.newId();

    private Instant now = Instant.parse("2026-11-29T10:00:00Z");
    private final Clock clock = new Clock() {
        @Override public ZoneId getZone() { return ZoneId.of("UTC"); }
        @Override public Clock withZone(ZoneId zone) { return this; }
        @Override public Instant instant() { return now; }
    };

    record Enqueued(DeliveryMessage message, int delaySeconds) {}

    private final List<Enqueued> enqueued = new ArrayList<>();
    private final List<String> deadLettered = new ArrayList<>();
    private final DeliveryQueue queue = new DeliveryQueue() {
        @Override public void enqueue(DeliveryMessage m, int delay) { enqueued.add(new Enqueued(m, delay)); }
        @Override public void deadLetter(DeliveryMessage m, String reason) { deadLettered.add(m.eventId() + ": " + reason); }
    };
    private final List<Map<String, String>> posts = new ArrayList<>();
    private int answer = 500;
    private final Sender sender = (url, headers, body) -> {
        posts.add(headers);
        return new Sender.Result(answer, answer / 100 == 2 ? null : "http-" + answer);
    };
    private final RetryPolicy retry = new RetryPolicy(Duration.ofSeconds(30), Duration.ofHours(1), Duration.ofHours(24), Duration.ofDays(3));

    private WebhookDeliveries worker(UrlGuard guard) {
        return new WebhookDeliveries(store, queue, sender, guard, retry, clock);
    }

    private WebhookDeliveries worker() {
        return worker(new UrlGuard(false, host -> List.of()));
    }

    private Webhook endpoint(String url) {
        Webhook w = new Webhook(Ids.newId(), orgId, url, List.of("team.created"), null, Webhook.Status.ENABLED, null, now, now, null, 1,
                "whsec_test");
        store.create(w, AuditEntry.of(orgId, "test", "webhook.created", new AuditEntry.Target("webhook", w.webhookId()), Map.of(), Map.of(), now));
        return w;
    }

    private DeliveryMessage delivery(Webhook w) {
        String eventId = String.format("evt_%013d%s", now.toEpochMilli(), "0123456789abcdef0123");
        assertTrue(store.putIfAbsent(new Delivery(orgId, w.webhookId(), eventId, "team.created", Delivery.Status.PENDING, 0, List.of(), now, now, null,
                "{\"id\":\"" + eventId + "\"}")));
        return new DeliveryMessage(orgId, w.webhookId(), eventId, 1, 0);
    }

    private Delivery read(DeliveryMessage m) {
        return store.delivery(m.orgId(), m.webhookId(), m.eventId()).orElseThrow();
    }

    @Test
    void aDuplicateMessageNeverSendsTwiceAndALateOneHops() {
        Webhook w = endpoint("http://127.0.0.1:1/hook");
        DeliveryMessage first = delivery(w);
        answer = 200;
        assertEquals(Outcome.SUCCEEDED, worker().handle(first));
        assertEquals(Outcome.DROPPED, worker().handle(first), "the same message again: the attempt was claimed");
        assertEquals(1, posts.size());
        assertEquals("1", posts.get(0).get("Webhook-Attempt"));
        assertEquals(Delivery.Status.SUCCEEDED, read(first).status());

        DeliveryMessage second = delivery(endpoint("http://127.0.0.1:1/other"));
        DeliveryMessage later = new DeliveryMessage(second.orgId(), second.webhookId(), second.eventId(), 1, now.getEpochSecond() + 3600);
        assertEquals(Outcome.NOT_DUE, worker().handle(later));
        assertEquals(new Enqueued(later, 900), enqueued.get(enqueued.size() - 1), "at most 15 minutes a hop");
        assertEquals(1, posts.size());
    }

    @Test
    void failuresBackOffThenTheWindowEndsInTheDeadLetterQueue() {
        Webhook w = endpoint("http://127.0.0.1:1/hook");
        DeliveryMessage m = delivery(w);
        Instant start = now;
        int attempts = 0;
        Outcome outcome;
        do {
            outcome = worker().handle(m);
            attempts++;
            if (outcome == Outcome.RETRY_SCHEDULED) {
                Enqueued next = enqueued.get(enqueued.size() - 1);
                assertEquals(attempts + 1, next.message().attempt());
                assertEquals(Math.min(900, retry.delayAfter(attempts).toSeconds()), next.delaySeconds());
                now = Instant.ofEpochSecond(next.message().notBefore());
                m = next.message();
            }
        } while (outcome == Outcome.RETRY_SCHEDULED && attempts < 100);
        assertEquals(Outcome.DEAD_LETTERED, outcome);
        assertEquals(30, attempts, "30 s doubling to 1 h fits 30 attempts in 24 h");
        assertTrue(Duration.between(start, now).compareTo(Duration.ofHours(24)) <= 0);
        Delivery d = read(m);
        assertEquals(Delivery.Status.FAILED, d.status());
        assertEquals(30, d.attempts().size());
        assertEquals(500, d.attempts().get(29).statusCode());
        assertEquals(1, deadLettered.size());
        assertEquals(Outcome.DROPPED, worker().handle(m), "a FAILED delivery is not tried again by a stray message");
    }

    @Test
    void anEndpointFailingForThreeDaysIsDisabledAndThenNotCalled() {
        Webhook w = endpoint("http://127.0.0.1:1/hook");
        assertEquals(Outcome.RETRY_SCHEDULED, worker().handle(delivery(w)));
        assertEquals(now, store.get(orgId, w.webhookId()).orElseThrow().failingSince());
        now = now.plus(Duration.ofDays(3)).plusSeconds(1);
        assertEquals(Outcome.RETRY_SCHEDULED, worker().handle(delivery(w)));
        Webhook disabled = store.get(orgId, w.webhookId()).orElseThrow();
        assertEquals(Webhook.Status.DISABLED, disabled.status());
        assertTrue(disabled.disabledReason().startsWith("failing-since-2026-11-29T10:00:00"), disabled.disabledReason());
        int sent = posts.size();
        now = now.plusSeconds(1);
        DeliveryMessage afterwards = delivery(w);
        assertEquals(Outcome.ENDPOINT_GONE, worker().handle(afterwards));
        assertEquals(sent, posts.size(), "a disabled endpoint is not called");
        assertEquals("endpoint-disabled", read(afterwards).attempts().get(0).error());
    }

    @Test
    void aSuccessEndsTheFailingRun() {
        Webhook w = endpoint("http://127.0.0.1:1/hook");
        assertEquals(Outcome.RETRY_SCHEDULED, worker().handle(delivery(w)));
        answer = 204;
        now = now.plusSeconds(60);
        assertEquals(Outcome.SUCCEEDED, worker().handle(delivery(w)));
        assertEquals(null, store.get(orgId, w.webhookId()).orElseThrow().failingSince());
    }

    @Test
    void inProdANameRepointedToAPrivateAddressIsNotCalled() throws Exception {
        Webhook w = endpoint("https://hooks.example.com/in");
        InetAddress privateAddress = InetAddress.getByName("10.0.0.5");
        DeliveryMessage m = delivery(w);
        assertEquals(Outcome.RETRY_SCHEDULED, worker(new UrlGuard(true, host -> List.of(privateAddress))).handle(m));
        assertEquals(List.of(), posts);
        assertEquals("address-not-allowed", read(m).attempts().get(0).error());
    }
}
