package com.enterpriseadmin.it.webhook;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.enterpriseadmin.it.TestStack;
import com.enterpriseadmin.it.TestStack.Response;
import com.enterpriseadmin.it.TestStack.User;
import com.enterpriseadmin.webhook.Signature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SpecVersion;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Webhooks end to end through the local stack: a change commits → the table's stream → PublishEventsFunction → the
 * delivery queue → DeliverWebhooksFunction → a receiver of this test (a JDK HttpServer on 127.0.0.1) that verifies the
 * signature, answers 500 twice and then 200, and processes each event id once. The local stack retries after 1 s, 2 s
 * (WebhookRetryBaseSeconds = 1 locally).
 */
class WebhooksE2EIT {
    private static final ObjectMapper JSON = new ObjectMapper();
    private final TestStack stack = TestStack.get();

    /** One POST the receiver got. */
    record Received(String path, Map<String, String> headers, String body, Instant at, boolean signatureValid) {}

    private HttpServer server;
    private final List<Received> received = new CopyOnWriteArrayList<>();
    private final Map<String, AtomicInteger> attemptsByEvent = new ConcurrentHashMap<>();
    /** Event id → how often the receiver processed it (it skips an id it has processed). */
    private final Map<String, AtomicInteger> processings = new ConcurrentHashMap<>();
    private final Set<String> processed = ConcurrentHashMap.newKeySet();
    /** Event id → how many of its POSTs were answered 200. */
    private final Map<String, AtomicInteger> accepted = new ConcurrentHashMap<>();
    private volatile String secret = "";

    @BeforeEach
    void receiver() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/", exchange -> {
            Instant at = Instant.now();
            String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
            Map<String, String> headers = new java.util.HashMap<>();
            exchange.getRequestHeaders().forEach((k, v) -> headers.put(k.toLowerCase(java.util.Locale.ROOT), v.get(0)));
            boolean valid = Signature.verify(secret, headers.get("webhook-signature"), body, at.getEpochSecond(), 300);
            received.add(new Received(exchange.getRequestURI().getPath(), headers, body, at, valid));
            String eventId = headers.getOrDefault("webhook-event-id", "");
            int status;
            if (!valid) {
                status = 400;
            } else if (attemptsByEvent.computeIfAbsent(eventId, k -> new AtomicInteger()).incrementAndGet() <= 2) {
                status = 500; // the first two attempts of each event fail
            } else {
                accepted.computeIfAbsent(eventId, k -> new AtomicInteger()).incrementAndGet();
                if (processed.add(eventId)) {
                    // a receiver processes an event id once, however often it comes
                    processings.computeIfAbsent(eventId, k -> new AtomicInteger()).incrementAndGet();
                }
                status = 200;
            }
            exchange.sendResponseHeaders(status, -1);
            exchange.close();
        });
        server.start();
    }

    @AfterEach
    void stop() {
        server.stop(0);
    }

    private String base() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    private static void await(String what, Duration timeout, BooleanSupplier done) throws InterruptedException {
        Instant end = Instant.now().plus(timeout);
        while (!done.getAsBoolean()) {
            if (Instant.now().isAfter(end)) {
                throw new AssertionError("timed out waiting for " + what);
            }
            Thread.sleep(100);
        }
    }

    private List<Received> forEvent(String type) {
        return received.stream().filter(r -> type.equals(r.headers().get("webhook-event-type"))).toList();
    }

    @Test
    void aTeamCreatedIsDeliveredSignedRetriedAfterEachFailureProcessedOnceAndRedeliverable() throws Exception {
        User owner = stack.newUser();
        String orgId = stack.post("/v1/organizations", owner.idToken(), Map.of("name", "Hooks " + owner.name())).json().path("orgId").asText();
        String hooks = "/v1/organizations/" + orgId + "/webhooks";

        // Another organization's endpoint on another path: it must hear nothing of this organization.
        User stranger = stack.newUser();
        String otherOrg = stack.post("/v1/organizations", stranger.idToken(), Map.of("name", "Other " + stranger.name())).json().path("orgId").asText();
        assertEquals(201, stack.post("/v1/organizations/" + otherOrg + "/webhooks", stranger.idToken(),
                Map.of("url", base() + "/other", "eventTypes", List.of("team.created"))).status());
        // ... and may not read this one's.
        assertEquals(404, stack.get(hooks, stranger.idToken()).status());

        Response created = stack.post(hooks, owner.idToken(), Map.of("url", base() + "/hook", "eventTypes", List.of("team.created", "member.added"),
                "description", "E2E receiver"));
        assertEquals(201, created.status(), created.body());
        secret = created.json().path("secret").asText();
        String webhookId = created.json().path("webhookId").asText();
        Response listed = stack.get(hooks, owner.idToken());
        assertEquals(200, listed.status());
        assertFalse(listed.body().contains(secret), "the secret is shown once, at creation");

        Response team = stack.post("/v1/organizations/" + orgId + "/teams", owner.idToken(),
                Map.of("name", "Design", "budget", Map.of("mode", "LIMITED", "limit", 1000, "period", "NONE")));
        Instant committed = Instant.now();
        assertEquals(201, team.status(), team.body());
        String teamId = team.json().path("teamId").asText();

        await("three attempts of team.created", Duration.ofSeconds(60), () -> forEvent("team.created").size() >= 3);
        Thread.sleep(1500); // nothing more may come: the third attempt succeeded
        List<Received> attempts = forEvent("team.created").stream().filter(r -> r.path().equals("/hook")).toList();
        assertEquals(3, attempts.size(), "delivered once more after each of the two failures, then never again");
        String eventId = attempts.get(0).headers().get("webhook-event-id");
        for (int i = 0; i < 3; i++) {
            Received r = attempts.get(i);
            assertTrue(r.signatureValid(), "signed with the endpoint's secret: " + r.headers());
            assertEquals(eventId, r.headers().get("webhook-event-id"), "the same event id on every attempt");
            assertEquals(Integer.toString(i + 1), r.headers().get("webhook-attempt"));
            assertEquals(attempts.get(0).body(), r.body(), "the same body on every attempt");
        }
        assertEquals(1, accepted.get(eventId).get(), "accepted once: no delivery after the success");
        assertEquals(1, processings.get(eventId).get());
        JsonNode event = JSON.readTree(attempts.get(0).body());
        assertEquals("team.created", event.path("type").asText());
        assertEquals(orgId, event.path("organizationId").asText());
        assertEquals(teamId, event.path("data").path("teamId").asText());
        var schema = JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V202012)
                .getSchema(Files.readString(stack.root.resolve(Path.of("docs", "events", "team.created.schema.json"))));
        assertEquals(Set.of(), schema.validate(event), "the received event matches its schema");
        assertTrue(Duration.between(attempts.get(0).at(), attempts.get(1).at()).toMillis() >= 900, "backoff before the 2nd attempt");
        assertTrue(Duration.between(attempts.get(1).at(), attempts.get(2).at()).toMillis() >= 1900, "doubled before the 3rd");

        // The latency from the commit to the webhook on the local stack (the first attempt's arrival).
        Instant eventTime = Instant.parse(event.path("time").asText());
        System.out.printf("webhook latency on the local stack: %d ms from the commit (event time) to the first POST, %d ms from the API's answer%n",
                Duration.between(eventTime, attempts.get(0).at()).toMillis(), Duration.between(committed, attempts.get(0).at()).toMillis());

        // The deliveries, with their attempts.
        Response deliveries = stack.get(hooks + "/" + webhookId + "/deliveries", owner.idToken());
        assertEquals(200, deliveries.status(), deliveries.body());
        JsonNode delivery = null;
        for (JsonNode d : deliveries.json().path("items")) {
            if (d.path("eventId").asText().equals(eventId)) delivery = d;
        }
        assertTrue(delivery != null, deliveries.body());
        assertEquals("SUCCEEDED", delivery.path("status").asText());
        assertEquals(3, delivery.path("attemptCount").asInt());
        List<Integer> statuses = new java.util.ArrayList<>();
        delivery.path("attempts").forEach(a -> statuses.add(a.path("statusCode").asInt()));
        assertEquals(List.of(500, 500, 200), statuses);
        assertEquals("http-500", delivery.path("attempts").get(0).path("error").asText());
        assertFalse(delivery.path("attempts").get(2).has("error"));

        // Redeliver: the receiver sees the same event id once more (and, by id, does not process it again).
        Response again = stack.post(hooks + "/" + webhookId + "/deliveries/" + eventId + "/redeliver", owner.idToken(), null);
        assertEquals(202, again.status(), again.body());
        await("the redelivery", Duration.ofSeconds(30), () -> forEvent("team.created").stream().filter(r -> r.path().equals("/hook")).count() >= 4);
        Received fourth = forEvent("team.created").stream().filter(r -> r.path().equals("/hook")).toList().get(3);
        assertEquals(eventId, fourth.headers().get("webhook-event-id"));
        assertEquals("4", fourth.headers().get("webhook-attempt"));
        assertTrue(fourth.signatureValid());
        await("the redelivery answered", Duration.ofSeconds(5), () -> accepted.get(eventId).get() == 2);
        assertEquals(1, processings.get(eventId).get(), "delivered twice, processed once by event id");
        await("the redelivery recorded", Duration.ofSeconds(10), () -> {
            JsonNode items = stack.get(hooks + "/" + webhookId + "/deliveries", owner.idToken()).json().path("items");
            for (JsonNode d : items) {
                if (d.path("eventId").asText().equals(eventId)) return d.path("attemptCount").asInt() == 4 && d.path("status").asText().equals("SUCCEEDED");
            }
            return false;
        });
        assertEquals(404, stack.post(hooks + "/" + webhookId + "/deliveries/evt_0000000000000aaaaaaaaaaaaaaaaaaaa/redeliver", owner.idToken(), null).status());
        assertTrue(received.stream().noneMatch(r -> r.path().equals("/other")), "another organization's endpoint heard nothing");
    }

    @Test
    void onlyTheChosenTypesAreDeliveredAndADisabledEndpointGetsNothing() throws Exception {
        User owner = stack.newUser();
        String orgId = stack.post("/v1/organizations", owner.idToken(), Map.of("name", "Types " + owner.name())).json().path("orgId").asText();
        String hooks = "/v1/organizations/" + orgId + "/webhooks";
        Response created = stack.post(hooks, owner.idToken(), Map.of("url", base() + "/teams-only", "eventTypes", List.of("team.archived")));
        assertEquals(201, created.status(), created.body());
        secret = created.json().path("secret").asText();
        String webhookId = created.json().path("webhookId").asText();
        Response disabled = stack.send("PATCH", hooks + "/" + webhookId, owner.idToken(), Map.of("enabled", false));
        assertEquals(200, disabled.status(), disabled.body());
        assertEquals("DISABLED", disabled.json().path("status").asText());
        assertEquals("disabled-by-administrator", disabled.json().path("disabledReason").asText());
        assertEquals(201, stack.post("/v1/organizations/" + orgId + "/teams", owner.idToken(),
                Map.of("name", "Ops", "budget", Map.of("mode", "LIMITED", "limit", 10, "period", "NONE"))).status());
        Thread.sleep(4000);
        assertEquals(List.of(), received, "team.created was not chosen, and the endpoint is disabled anyway");
        assertEquals(204, stack.send("DELETE", hooks + "/" + webhookId, owner.idToken(), null).status());
        assertEquals(404, stack.get(hooks + "/" + webhookId, owner.idToken()).status());
    }
}
