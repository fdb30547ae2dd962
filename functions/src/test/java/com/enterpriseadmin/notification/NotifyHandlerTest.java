package com.enterpriseadmin.notification;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.enterpriseadmin.http.Json;
import com.enterpriseadmin.support.FakeDynamo;
import com.fasterxml.jackson.databind.JsonNode;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The stream consumer: changes in order, the first failure answered as the batch item failure. */
class NotifyHandlerTest {
    private final FakeDynamo dynamo = new FakeDynamo();
    private final List<Email> sent = new ArrayList<>();
    private final Json json = new Json();

    private static String invitation(String seq, String id, String email) {
        return "{\"eventName\":\"INSERT\",\"dynamodb\":{\"SequenceNumber\":\"" + seq + "\","
                + "\"Keys\":{\"PK\":{\"S\":\"INVITATION#" + id + "\"},\"SK\":{\"S\":\"INVITATION\"}},"
                + "\"NewImage\":{\"PK\":{\"S\":\"INVITATION#" + id + "\"},\"SK\":{\"S\":\"INVITATION\"},\"invitationId\":{\"S\":\"" + id + "\"},"
                + "\"orgId\":{\"S\":\"o1\"},\"status\":{\"S\":\"PENDING\"},\"role\":{\"S\":\"USER\"},\"expiresAt\":{\"S\":\"2026-12-07T00:00:00.000Z\"},"
                + "\"sendCount\":{\"N\":\"1\"},\"teams\":{\"L\":[]}" + (email == null ? "" : ",\"email\":{\"S\":\"" + email + "\"}") + "}}}";
    }

    private JsonNode run(String... records) throws Exception {
        Notifier notifier = new Notifier(new NotificationStore(dynamo.db, null), sent::add, new Messages("http://127.0.0.1:3000"),
                Clock.fixed(Instant.parse("2026-11-30T00:00:00Z"), ZoneOffset.UTC));
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        new NotifyHandler(json.mapper(), () -> notifier).handleRequest(
                new ByteArrayInputStream(("{\"Records\":[" + String.join(",", records) + "]}").getBytes(StandardCharsets.UTF_8)), out, null);
        return json.mapper().readTree(out.toByteArray());
    }

    @Test
    void everyChangeIsHandledInOrderAndOtherItemsAreIgnored() throws Exception {
        String other = "{\"eventName\":\"INSERT\",\"dynamodb\":{\"SequenceNumber\":\"2\",\"Keys\":{\"PK\":{\"S\":\"ORG#o1#LEDGER\"},\"SK\":{\"S\":\"x\"}},"
                + "\"NewImage\":{\"PK\":{\"S\":\"ORG#o1#LEDGER\"}}}}";
        JsonNode answer = run(invitation("1", "a", "a@example.com"), other, invitation("3", "b", "b@example.com"));
        assertEquals(0, answer.path("batchItemFailures").size(), answer.toString());
        assertEquals(List.of("a@example.com", "b@example.com"), sent.stream().map(Email::to).toList());
    }

    @Test
    void theSampleEventMailsTheInviteeAndRecordsTheTeamsFiftyPercentAlert() throws Exception {
        Notifier notifier = new Notifier(new NotificationStore(dynamo.db, null), sent::add, new Messages("http://127.0.0.1:3000"), Clock.systemUTC());
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        new NotifyHandler(json.mapper(), () -> notifier).handleRequest(
                new ByteArrayInputStream(com.enterpriseadmin.support.Events.load("Notifier-table-changes.json")), out, null);
        assertEquals(0, json.mapper().readTree(out.toByteArray()).path("batchItemFailures").size());
        assertEquals(List.of("ada@example.com"), sent.stream().map(Email::to).toList());
        assertEquals(1, dynamo.items.keySet().stream().filter(k -> k.contains("#ALERTS") && k.contains("#050#CROSSED")).count(),
                dynamo.items.keySet().toString());
    }

    @Test
    void aPoisonRecordIsTheBatchItemFailureAndNothingAfterItIsHandled() throws Exception {
        JsonNode answer = run(invitation("1", "a", "a@example.com"), invitation("2", "poison", null), invitation("3", "b", "b@example.com"));
        assertEquals("2", answer.path("batchItemFailures").get(0).path("itemIdentifier").asText(), answer.toString());
        assertEquals(1, answer.path("batchItemFailures").size());
        assertEquals(List.of("a@example.com"), sent.stream().map(Email::to).toList(), "Lambda retries from 2: 3 is not handled out of order");
    }

    @Test
    void anEMailSesRefusesGivesItsMarkerBackAndFailsTheChange() throws Exception {
        Notifier notifier = new Notifier(new NotificationStore(dynamo.db, null), e -> { throw new IllegalStateException("SES down"); },
                new Messages("http://127.0.0.1:3000"), Clock.systemUTC());
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        new NotifyHandler(json.mapper(), () -> notifier).handleRequest(new ByteArrayInputStream(
                ("{\"Records\":[" + invitation("7", "a", "a@example.com") + "]}").getBytes(StandardCharsets.UTF_8)), out, null);
        assertEquals("7", json.mapper().readTree(out.toByteArray()).path("batchItemFailures").get(0).path("itemIdentifier").asText());
        assertEquals(0, dynamo.items.keySet().stream().filter(k -> k.contains("NOTIFICATION#")).count(), "the marker was given back");
    }

    private static String webhookChange(String seq, String oldStatus, String newStatus, String reason) {
        String key = "\"PK\":{\"S\":\"ORG#o1\"},\"SK\":{\"S\":\"WEBHOOK#w1\"}";
        String common = key + ",\"webhookId\":{\"S\":\"w1\"},\"orgId\":{\"S\":\"o1\"},\"url\":{\"S\":\"https://hooks.example.com/in\"}";
        return "{\"eventName\":\"MODIFY\",\"dynamodb\":{\"SequenceNumber\":\"" + seq + "\",\"Keys\":{" + key + "},"
                + "\"OldImage\":{" + common + ",\"status\":{\"S\":\"" + oldStatus + "\"},\"version\":{\"N\":\"3\"}},"
                + "\"NewImage\":{" + common + ",\"status\":{\"S\":\"" + newStatus + "\"},\"version\":{\"N\":\"4\"}"
                + (reason == null ? "" : ",\"disabledReason\":{\"S\":\"" + reason + "\"}") + "}}}";
    }

    private final List<java.util.Map<String, software.amazon.awssdk.services.dynamodb.model.AttributeValue>> members = new ArrayList<>();

    /** An active member of o1, answered by the notifier's Query of the organization's memberships. */
    private void member(String userId, String email, String role) {
        dynamo.queryAnswers = q -> List.copyOf(members);
        members.add(java.util.Map.of("PK", software.amazon.awssdk.services.dynamodb.model.AttributeValue.fromS("ORG#o1"),
                "SK", software.amazon.awssdk.services.dynamodb.model.AttributeValue.fromS("MEMBER#" + userId),
                "userId", software.amazon.awssdk.services.dynamodb.model.AttributeValue.fromS(userId),
                "email", software.amazon.awssdk.services.dynamodb.model.AttributeValue.fromS(email),
                "role", software.amazon.awssdk.services.dynamodb.model.AttributeValue.fromS(role),
                "status", software.amazon.awssdk.services.dynamodb.model.AttributeValue.fromS("ACTIVE")));
    }

    @Test
    void aWebhookEndpointTheWorkerDisabledIsMailedToTheOwnerAndAdmins() throws Exception {
        member("u-owner", "owner@example.com", "OWNER");
        member("u-admin", "admin@example.com", "ADMIN");
        member("u-user", "user@example.com", "USER");
        String disabled = webhookChange("5", "ENABLED", "DISABLED", "failing-since-2026-11-27T00:00:00.000Z");
        JsonNode answer = run(disabled); // once per disabling: the sent-marker (NotificationsE2EIT shows replays send nothing)
        assertEquals(0, answer.path("batchItemFailures").size(), answer.toString());
        assertEquals(List.of("owner@example.com", "admin@example.com"), sent.stream().map(Email::to).toList());
        org.junit.jupiter.api.Assertions.assertTrue(sent.get(0).text().contains("https://hooks.example.com/in"), sent.get(0).text());
        org.junit.jupiter.api.Assertions.assertTrue(sent.get(0).text().contains("failed since 2026-11-27"), sent.get(0).text());
    }

    @Test
    void aWebhookEndpointAnAdministratorDisabledOrEnabledMailsNobody() throws Exception {
        member("u-owner", "owner@example.com", "OWNER");
        JsonNode answer = run(webhookChange("1", "ENABLED", "DISABLED", "disabled-by-administrator"),
                webhookChange("2", "DISABLED", "ENABLED", null));
        assertEquals(0, answer.path("batchItemFailures").size(), answer.toString());
        assertEquals(List.of(), sent);
    }

    private static software.amazon.awssdk.services.dynamodb.model.AttributeValue n(long v) {
        return software.amazon.awssdk.services.dynamodb.model.AttributeValue.fromN(Long.toString(v));
    }

    private static software.amazon.awssdk.services.dynamodb.model.AttributeValue s(String v) {
        return software.amazon.awssdk.services.dynamodb.model.AttributeValue.fromS(v);
    }

    private static String laneChange(String seq, int lane, long before, long after) {
        String pk = lane == 0 ? "ORG#o1" : "ORG#o1#LANE#" + lane;
        String key = "\"PK\":{\"S\":\"" + pk + "\"},\"SK\":{\"S\":\"ACCOUNT\"}";
        String extra = lane == 0 ? ",\"purchased\":{\"N\":\"1000\"},\"laneItems\":{\"N\":\"4\"},\"lanes\":{\"N\":\"4\"}" : "";
        return "{\"eventName\":\"MODIFY\",\"dynamodb\":{\"SequenceNumber\":\"" + seq + "\",\"Keys\":{" + key + "},"
                + "\"OldImage\":{" + key + extra + ",\"available\":{\"N\":\"" + before + "\"}},"
                + "\"NewImage\":{" + key + extra + ",\"available\":{\"N\":\"" + after + "\"}}}}";
    }

    /** Four escrow lanes as they are after the change(s): lane 0 (the account item, purchased 1,000) and lanes 1–3. */
    private void lanes(long... available) {
        dynamo.put(java.util.Map.of("PK", s("ORG#o1"), "SK", s("ORG"), "name", s("Org One"),
                "lowBalanceAlert", software.amazon.awssdk.services.dynamodb.model.AttributeValue.fromM(java.util.Map.of("amount", n(500)))));
        dynamo.put(java.util.Map.of("PK", s("ORG#o1"), "SK", s("ACCOUNT"), "purchased", n(1000), "available", n(available[0]),
                "laneItems", n(4), "lanes", n(4)));
        for (int i = 1; i < available.length; i++) {
            dynamo.put(java.util.Map.of("PK", s("ORG#o1#LANE#" + i), "SK", s("ACCOUNT"), "available", n(available[i])));
        }
    }

    @Test
    void withEscrowLanesTheLowBalanceIsTheSumOfTheLanesAndAConsumptionOnAnyLaneCrossesIt() throws Exception {
        member("u-owner", "owner@example.com", "OWNER");
        lanes(200, 100, 100, 99); // 499 in all after lane 2 went from 151 to 100: 550 → 499 crosses 500
        JsonNode answer = run(laneChange("1", 2, 151, 100));
        assertEquals(0, answer.path("batchItemFailures").size(), answer.toString());
        assertEquals(1, dynamo.items.keySet().stream().filter(k -> k.contains("#ALERTS") && k.contains("CROSSED")).count(), dynamo.items.keySet().toString());
        assertEquals(List.of("owner@example.com"), sent.stream().map(Email::to).toList());
    }

    @Test
    void withEscrowLanesARebalanceBetweenLanesCrossesNothing() throws Exception {
        member("u-owner", "owner@example.com", "OWNER");
        lanes(100, 100, 150, 99); // 449 in all, low before and after: lane 1 gave 50 to lane 2
        JsonNode answer = run(laneChange("1", 1, 150, 100), laneChange("2", 2, 100, 150));
        assertEquals(0, answer.path("batchItemFailures").size(), answer.toString());
        assertEquals(0, dynamo.items.keySet().stream().filter(k -> k.contains("#ALERTS")).count(), dynamo.items.keySet().toString());
        assertEquals(List.of(), sent);
    }
}
