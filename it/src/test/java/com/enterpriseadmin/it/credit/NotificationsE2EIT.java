package com.enterpriseadmin.it.credit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.enterpriseadmin.it.TestStack;
import com.enterpriseadmin.local.LocalStack;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.PutRequest;
import software.amazon.awssdk.services.dynamodb.model.WriteRequest;
import software.amazon.awssdk.services.dynamodb.streams.DynamoDbStreamsClient;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.Message;

/**
 * Notifications end to end (docs/notifications.md): a change commits, the table's stream carries it to the notifier,
 * SES (moto) accepts the e-mail, the local outbox shows it. E-mails go out once even when the stream delivers every
 * batch twice; a poison record is dead-lettered while the rest of its batch is processed.
 */
class NotificationsE2EIT {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration WAIT = Duration.ofSeconds(60);
    private final CreditFixture f = new CreditFixture();
    private final TestStack stack = f.stack;
    private final HttpClient http = HttpClient.newHttpClient();

    // ---- the local outbox and knobs

    private List<JsonNode> outbox(String to) {
        try {
            HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(stack.invokeUrl + "/local/outbox?to="
                    + URLEncoder.encode(to, StandardCharsets.UTF_8))).GET().build(), HttpResponse.BodyHandlers.ofString());
            assertEquals(200, r.statusCode(), r.body());
            List<JsonNode> out = new ArrayList<>();
            JSON.readTree(r.body()).path("messages").forEach(out::add);
            return out;
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    /** Waits until {@code to} has {@code count} messages matching; then a short while more, to see that no more come. */
    private List<JsonNode> awaitMessages(String to, Predicate<JsonNode> which, int count) throws InterruptedException {
        long deadline = System.nanoTime() + WAIT.toNanos();
        List<JsonNode> found;
        while ((found = outbox(to).stream().filter(which).toList()).size() < count) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError(to + " got " + found.size() + " of " + count + " e-mails: " + outbox(to));
            }
            Thread.sleep(50);
        }
        return found;
    }

    private void redeliver(boolean on) throws Exception {
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(stack.invokeUrl + "/local/streams"))
                .POST(HttpRequest.BodyPublishers.ofString("{\"redeliver\":" + on + "}")).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(200, r.statusCode(), r.body());
    }

    // ---- invitations

    @Test
    void anInvitationSendsOneEMailWhoseLinkAcceptsItAndAResendSendsASecond() throws Exception {
        CreditFixture.Org org = f.org();
        CreditFixture.Person invitee = f.person();
        long sent = System.nanoTime();
        JsonNode invitation = CreditFixture.ok(stack.post("/v1/organizations/" + org.orgId() + "/invitations", org.owner().token(),
                Map.of("email", invitee.email(), "role", "ADMIN")), 201);
        String invitationId = invitation.path("invitationId").asText();
        List<JsonNode> first = awaitMessages(invitee.email(), m -> true, 1);
        long latencyMs = (System.nanoTime() - sent) / 1_000_000;
        System.out.println("notification latency: invitation 201 -> e-mail in the local outbox in " + latencyMs + " ms");

        JsonNode mail = first.get(0);
        assertTrue(mail.path("subject").asText().contains("invited"), mail.toString());
        assertTrue(mail.path("text").asText().contains("as ADMIN"), mail.toString());
        assertTrue(mail.path("html").asText().contains("<a href="), mail.toString());
        Matcher link = Pattern.compile(Pattern.quote(stack.apiUrl) + "/\\?invitation=([A-Za-z0-9_-]+)").matcher(mail.path("text").asText());
        assertTrue(link.find(), "the e-mail links into the console: " + mail.path("text").asText());
        assertEquals(invitationId, link.group(1));

        CreditFixture.ok(stack.post("/v1/organizations/" + org.orgId() + "/invitations/" + invitationId + "/resend", org.owner().token(), null), 200);
        List<JsonNode> both = awaitMessages(invitee.email(), m -> true, 2);
        assertTrue(both.get(1).path("subject").asText().startsWith("Reminder"), both.get(1).toString());

        // Following the link: the id in it accepts the invitation.
        CreditFixture.ok(stack.post("/v1/invitations/" + link.group(1) + "/accept", invitee.token(), null), 200);
        Thread.sleep(1500);
        assertEquals(2, outbox(invitee.email()).size(), "one e-mail per send, no more: " + outbox(invitee.email()));
    }

    // ---- budget alerts

    @Test
    void aTeamCrossing50And80And100PercentAlertsEachRecipientThreeTimesEvenWhenEveryBatchIsDeliveredTwiceAndARaiseRecovers()
            throws Exception {
        CreditFixture.Org org = f.org();
        CreditFixture.Person orgAdmin = f.member(org, "ADMIN");
        CreditFixture.Person teamAdmin = f.member(org, "USER");
        CreditFixture.Person bystander = f.member(org, "USER");
        String teamId = f.team(org, Map.of("mode", "LIMITED", "limit", 100));
        f.addToTeam(org, teamId, org.owner(), "ADMIN");
        f.addToTeam(org, teamId, teamAdmin, "ADMIN");
        f.addToTeam(org, teamId, bystander, "MEMBER");
        CreditFixture.ok(f.topUp(org, 1_000), 201);
        Predicate<JsonNode> crossed = m -> m.path("subject").asText().contains("% of its budget") && m.path("subject").asText().contains("has used");
        Predicate<JsonNode> recovered = m -> m.path("subject").asText().contains("is back under");

        redeliver(true);
        try {
            for (long amount : new long[] {50, 30, 20}) {
                CreditFixture.ok(f.consume(org, teamId, bystander, amount, UUID.randomUUID().toString()), 201);
            }
            for (CreditFixture.Person p : List.of(org.owner(), orgAdmin, teamAdmin)) {
                List<JsonNode> alerts = awaitMessages(p.email(), crossed, 3);
                assertEquals(List.of(50, 80, 100), alerts.stream().map(m -> threshold(m.path("subject").asText())).sorted().toList());
            }
            Thread.sleep(2000);
            for (CreditFixture.Person p : List.of(org.owner(), orgAdmin, teamAdmin)) {
                assertEquals(3, outbox(p.email()).stream().filter(crossed).count(), "exactly three alerts: " + outbox(p.email()));
            }
            assertTrue(outbox(bystander.email()).stream().noneMatch(crossed), "a team MEMBER is not told");
            JsonNode alerts = CreditFixture.ok(stack.get("/v1/organizations/" + org.orgId() + "/alerts", teamAdmin.token()), 200);
            assertEquals(3, alerts.path("open").size(), alerts.toString());
            assertEquals(teamId, alerts.path("open").get(0).path("teamId").asText());
            assertEquals(3, CreditFixture.ok(stack.get("/v1/organizations/" + org.orgId() + "/alerts", orgAdmin.token()), 200).path("recent").size());
            assertEquals(403, stack.get("/v1/organizations/" + org.orgId() + "/alerts", bystander.token()).status(), "a team MEMBER sees no alerts");

            // A raise brings usage (100) back under every threshold of the new limit (1000).
            CreditFixture.ok(stack.send("PUT", "/v1/organizations/" + org.orgId() + "/teams/" + teamId + "/budget", org.owner().token(),
                    Map.of("mode", "LIMITED", "limit", 1_000)), 200);
            for (CreditFixture.Person p : List.of(org.owner(), orgAdmin, teamAdmin)) {
                awaitMessages(p.email(), recovered, 3);
            }
            Thread.sleep(2000);
            for (CreditFixture.Person p : List.of(org.owner(), orgAdmin, teamAdmin)) {
                assertEquals(3, outbox(p.email()).stream().filter(recovered).count(), outbox(p.email()).toString());
                assertEquals(3, outbox(p.email()).stream().filter(crossed).count(), outbox(p.email()).toString());
            }
            JsonNode after = CreditFixture.ok(stack.get("/v1/organizations/" + org.orgId() + "/alerts", org.owner().token()), 200);
            assertEquals(0, after.path("open").size(), "every crossing recovered: " + after);
            assertEquals(6, after.path("recent").size(), after.toString());
        } finally {
            redeliver(false);
        }
    }

    @Test
    void aTeamsOwnThresholdsReplaceTheDefaultsAndBadOnesAreRefused() throws Exception {
        CreditFixture.Org org = f.org();
        CreditFixture.Person member = f.member(org, "USER");
        String teamId = f.team(org, Map.of("mode", "LIMITED", "limit", 200));
        f.addToTeam(org, teamId, member, "MEMBER");
        CreditFixture.ok(f.topUp(org, 1_000), 201);
        String path = "/v1/organizations/" + org.orgId() + "/teams/" + teamId + "/alert-thresholds";
        assertEquals(400, stack.send("PUT", path, org.owner().token(), Map.of("thresholds", List.of(0))).status());
        assertEquals(400, stack.send("PUT", path, org.owner().token(), Map.of("thresholds", List.of(20, 20))).status());
        assertEquals(400, stack.send("PUT", path, org.owner().token(), Map.of("thresholds", List.of())).status());
        assertEquals(403, stack.send("PUT", path, member.token(), Map.of("thresholds", List.of(20))).status());
        assertEquals(404, stack.send("PUT", "/v1/organizations/" + org.orgId() + "/teams/0000000000000000000000000a/alert-thresholds",
                org.owner().token(), Map.of("thresholds", List.of(20))).status());
        JsonNode set = CreditFixture.ok(stack.send("PUT", path, org.owner().token(), Map.of("thresholds", List.of(90, 25))), 200);
        assertEquals("[25,90]", set.path("thresholds").toString());

        CreditFixture.ok(f.consume(org, teamId, member, 60, UUID.randomUUID().toString()), 201); // 30 %: crosses 25 only
        List<JsonNode> alerts = awaitMessages(org.owner().email(), m -> m.path("subject").asText().contains("has used"), 1);
        assertEquals(25, threshold(alerts.get(0).path("subject").asText()));
    }

    @Test
    void theOrganizationsLowBalanceAlertFiresOnceBelowItsThresholdAndATopUpRecoversIt() throws Exception {
        CreditFixture.Org org = f.org();
        CreditFixture.Person member = f.member(org, "USER");
        String teamId = f.team(org, Map.of("mode", "SHARED_POOL"));
        f.addToTeam(org, teamId, member, "MEMBER");
        String path = "/v1/organizations/" + org.orgId() + "/low-balance-alert";
        assertEquals(400, stack.send("PUT", path, org.owner().token(), Map.of("amount", 5, "percentOfPurchased", 5)).status());
        assertEquals(400, stack.send("PUT", path, org.owner().token(), Map.of("percentOfPurchased", 101)).status());
        assertEquals(403, stack.send("PUT", path, member.token(), Map.of("amount", 500)).status());
        CreditFixture.ok(stack.send("PUT", path, org.owner().token(), Map.of("amount", 500)), 200);
        CreditFixture.ok(f.topUp(org, 1_000), 201);
        Predicate<JsonNode> low = m -> m.path("subject").asText().contains("running low");
        Predicate<JsonNode> enough = m -> m.path("subject").asText().contains("enough credits again");

        for (long amount : new long[] {400, 200, 100}) { // 600 (fine), 400 (low), 300 (still low)
            CreditFixture.ok(f.consume(org, teamId, member, amount, UUID.randomUUID().toString()), 201);
        }
        awaitMessages(org.owner().email(), low, 1);
        CreditFixture.ok(f.topUp(org, 1_000), 201); // 1300: recovered
        awaitMessages(org.owner().email(), enough, 1);
        Thread.sleep(1500);
        assertEquals(1, outbox(org.owner().email()).stream().filter(low).count(), outbox(org.owner().email()).toString());
        assertEquals(1, outbox(org.owner().email()).stream().filter(enough).count());
        assertTrue(outbox(member.email()).stream().noneMatch(low), "a USER is not told");
        JsonNode alerts = CreditFixture.ok(stack.get("/v1/organizations/" + org.orgId() + "/alerts", org.owner().token()), 200);
        assertEquals(0, alerts.path("open").size(), alerts.toString());
        assertEquals("ORGANIZATION", alerts.path("recent").get(0).path("scope").asText(), alerts.toString());
    }

    private static int threshold(String subject) {
        Matcher m = Pattern.compile("(\\d+) %").matcher(subject);
        assertTrue(m.find(), subject);
        return Integer.parseInt(m.group(1));
    }

    // ---- poison records

    @Test
    void aPoisonRecordLandsInTheDeadLetterQueueWhileTheRestOfItsBatchIsProcessed() throws Exception {
        assertNotNull(stack.sqsEndpoint, "the stack has a local SQS");
        CreditFixture.Org org = f.org();
        String before = "before-" + UUID.randomUUID() + "@example.com";
        String after = "after-" + UUID.randomUUID() + "@example.com";
        String poisonId = "poison-" + UUID.randomUUID();
        // One write of three invitations: one batch of the stream; the middle one has no e-mail address.
        stack.dynamo().batchWriteItem(b -> b.requestItems(Map.of(stack.tableName, List.of(
                put(invitation("ok1-" + UUID.randomUUID(), org.orgId(), before)),
                put(invitation(poisonId, org.orgId(), null)),
                put(invitation("ok2-" + UUID.randomUUID(), org.orgId(), after))))));

        awaitMessages(before, m -> true, 1);
        awaitMessages(after, m -> true, 1);

        try (SqsClient sqs = SqsClient.builder().endpointOverride(URI.create(stack.sqsEndpoint)).region(Region.of(stack.region))
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("local", "local")))
                .httpClient(UrlConnectionHttpClient.create()).build();
             DynamoDbStreamsClient streams = DynamoDbStreamsClient.builder().endpointOverride(stack.dynamo().serviceClientConfiguration()
                     .endpointOverride().orElseThrow()).region(Region.of(stack.region))
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("local", "local")))
                .httpClient(UrlConnectionHttpClient.create()).build()) {
            String queueUrl = sqs.getQueueUrl(b -> b.queueName(LocalStack.queueName("NotifierDeadLetterQueue"))).queueUrl();
            long deadline = System.nanoTime() + WAIT.toNanos();
            JsonNode info = null;
            while (info == null) {
                for (Message m : sqs.receiveMessage(b -> b.queueUrl(queueUrl).maxNumberOfMessages(10).waitTimeSeconds(0)).messages()) {
                    JsonNode batch = JSON.readTree(m.body()).path("DDBStreamBatchInfo");
                    String key = recordKey(streams, batch);
                    if (("INVITATION#" + poisonId).equals(key)) {
                        info = batch;
                    }
                    sqs.changeMessageVisibility(b -> b.queueUrl(queueUrl).receiptHandle(m.receiptHandle()).visibilityTimeout(0));
                }
                assertFalse(System.nanoTime() > deadline && info == null, "the poison record's batch reached the dead-letter queue");
                Thread.sleep(200);
            }
            assertEquals(1, info.path("batchSize").asInt(), "bisected down to the poison record alone: " + info);
            assertEquals(info.path("startSequenceNumber").asText(), info.path("endSequenceNumber").asText());
        }
    }

    private static WriteRequest put(Map<String, AttributeValue> item) {
        return WriteRequest.builder().putRequest(PutRequest.builder().item(item).build()).build();
    }

    private static Map<String, AttributeValue> invitation(String id, String orgId, String email) {
        Map<String, AttributeValue> item = new HashMap<>(Map.of(
                "PK", AttributeValue.fromS("INVITATION#" + id), "SK", AttributeValue.fromS("INVITATION"),
                "invitationId", AttributeValue.fromS(id), "orgId", AttributeValue.fromS(orgId), "status", AttributeValue.fromS("PENDING"),
                "role", AttributeValue.fromS("USER"), "expiresAt", AttributeValue.fromS("2099-01-01T00:00:00.000Z"),
                "sendCount", AttributeValue.fromN("1")));
        if (email != null) {
            item.put("email", AttributeValue.fromS(email));
        }
        return item;
    }

    /** The PK of the stream record a dead-letter message names (its first sequence number). */
    private static String recordKey(DynamoDbStreamsClient streams, JsonNode batch) {
        String arn = batch.path("streamArn").asText();
        String iterator = streams.getShardIterator(b -> b.streamArn(arn).shardId(batch.path("shardId").asText())
                .shardIteratorType("AT_SEQUENCE_NUMBER").sequenceNumber(batch.path("startSequenceNumber").asText())).shardIterator();
        var records = streams.getRecords(b -> b.shardIterator(iterator).limit(1)).records();
        return records.isEmpty() ? null : records.get(0).dynamodb().keys().get("PK").s();
    }
}
