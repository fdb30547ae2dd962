package com.enterpriseadmin.it.reconciliation;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.enterpriseadmin.it.TestStack;
import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * The scheduled job (sweeps, fan-out through the queue) and the worker's checks besides the ledger fold
 * (that one is in the credit ITs).
 */
class ReconciliationE2EIT {
    private final TestStack stack = TestStack.get();

    private JsonNode reconcile() {
        return stack.invoke("ReconcileFunction", "{\"source\":\"aws.events\",\"detail-type\":\"Scheduled Event\",\"detail\":{}}");
    }

    private JsonNode reconcile(String orgId) {
        return stack.invoke("ReconcileOrganizationFunction", "{\"orgId\":\"" + orgId + "\"}");
    }

    private String newOrg(TestStack.User owner) {
        return stack.post("/v1/organizations", owner.idToken(), Map.of("name", "Recon " + UUID.randomUUID().toString().substring(0, 6)))
                .json().path("orgId").asText();
    }

    private Map<String, AttributeValue> key(String pk, String sk) {
        return Map.of("PK", AttributeValue.fromS(pk), "SK", AttributeValue.fromS(sk));
    }

    @Test
    void aConfirmedUserWithoutProfileIsProvisioned() {
        TestStack.User user = stack.newUser();
        String sub = stack.get("/v1/me", user.idToken()).json().path("userId").asText();
        stack.dynamo().deleteItem(b -> b.tableName(stack.tableName).key(key("USER#" + sub, "PROFILE")));

        JsonNode report = reconcile();
        assertTrue(report.path("sweeps").path("profilesProvisioned").asInt() >= 1, report.toString());
        Map<String, AttributeValue> profile = stack.dynamo().getItem(b -> b.tableName(stack.tableName).consistentRead(true)
                .key(key("USER#" + sub, "PROFILE"))).item();
        assertEquals(user.email(), profile.get("email").s());
        assertEquals(0, reconcile().path("sweeps").path("profilesProvisioned").asInt(), "twice is harmless");
    }

    @Test
    void lapsedInvitationsAreRecordedExpiredAndMonthlyPeriodsStartAnew() {
        TestStack.User owner = stack.newUser();
        TestStack.User invitee = stack.newUser();
        String orgId = stack.post("/v1/organizations", owner.idToken(), Map.of("name", "Recon " + UUID.randomUUID().toString().substring(0, 6)))
                .json().path("orgId").asText();
        String invitationId = stack.post("/v1/organizations/" + orgId + "/invitations", owner.idToken(),
                Map.of("email", invitee.email(), "role", "USER")).json().path("invitationId").asText();
        stack.dynamo().updateItem(b -> b.tableName(stack.tableName).key(key("INVITATION#" + invitationId, "INVITATION"))
                .updateExpression("SET expiresAt = :past").expressionAttributeValues(Map.of(":past", AttributeValue.fromS("2020-01-01T00:00:00.000Z"))));

        String teamId = stack.post("/v1/organizations/" + orgId + "/teams", owner.idToken(),
                Map.of("name", "Monthly", "budget", Map.of("mode", "LIMITED", "limit", 10, "period", "MONTHLY"))).json().path("teamId").asText();
        stack.dynamo().updateItem(b -> b.tableName(stack.tableName).key(key("ORG#" + orgId, "TEAM#" + teamId))
                .updateExpression("SET periodKey = :old").expressionAttributeValues(Map.of(":old", AttributeValue.fromS("2020-01"))));

        JsonNode report = reconcile();
        assertTrue(report.path("sweeps").path("invitationsExpired").asInt() >= 1, report.toString());
        JsonNode org = reconcile(orgId);
        JsonNode expired = stack.get("/v1/organizations/" + orgId + "/invitations?status=EXPIRED", owner.idToken()).json();
        assertEquals(invitationId, expired.path("items").get(0).path("invitationId").asText());
        assertEquals(409, stack.post("/v1/invitations/" + invitationId + "/accept", invitee.idToken(), null).status());

        String month = DateTimeFormatter.ofPattern("yyyy-MM").withZone(ZoneOffset.UTC).format(Instant.now());
        JsonNode credits = stack.get("/v1/organizations/" + orgId + "/credits", owner.idToken()).json();
        JsonNode team = credits.path("teams").get(0);
        assertEquals(month, team.path("periodKey").asText(), "the MONTHLY period rolled over");
        assertEquals(10, team.path("remaining").asLong());
        boolean audited = false;
        for (JsonNode e : stack.get("/v1/organizations/" + orgId + "/audit-log", owner.idToken()).json().path("items")) {
            audited |= e.path("action").asText().equals("team.period-started") && e.path("actor").asText().equals("system");
        }
        assertTrue(audited, "the new period is in the audit log");
        assertEquals(1, org.path("periodsReset").asInt(), org.toString());
        assertTrue(org.path("consistent").asBoolean(), org.toString());
    }

    @Test
    void theScheduleSendsEveryOrganizationThroughTheQueueToTheWorker() throws Exception {
        String orgId = newOrg(stack.newUser());
        Map<String, AttributeValue> checkpoint = key("ORG#" + orgId, "RECONCILED");
        JsonNode report = reconcile();
        assertTrue(report.path("organizationsEnqueued").asInt() >= 1, report.toString());
        // The local runtime's SQS event source delivers the message to ReconcileOrganizationFunction (behind every
        // other organization of the suite, one batch at a time), whose
        // first run of an organization stores its checkpoint.
        long deadline = System.nanoTime() + java.time.Duration.ofSeconds(600).toNanos();
        while (stack.dynamo().getItem(b -> b.tableName(stack.tableName).consistentRead(true).key(checkpoint)).item().isEmpty()) {
            assertTrue(System.nanoTime() < deadline, "the worker never reconciled " + orgId);
            Thread.sleep(200);
        }
    }

    @Test
    void openHoldAndPendingInvitationCountersAreCheckedAgainstWhatTheyCount() {
        TestStack.User owner = stack.newUser();
        TestStack.User invitee = stack.newUser();
        String orgId = newOrg(owner);
        String ownerId = stack.get("/v1/me", owner.idToken()).json().path("userId").asText();
        String inviteeId = stack.get("/v1/me", invitee.idToken()).json().path("userId").asText();
        assertEquals(201, stack.post("/v1/organizations/" + orgId + "/invitations", owner.idToken(),
                Map.of("email", invitee.email(), "role", "USER")).status());
        assertTrue(reconcile(orgId).path("consistent").asBoolean(), "one pending invitation, counted once");

        // The owner has no hold, yet their counter says 2; the invitee has one pending invitation, yet theirs says 5.
        stack.dynamo().putItem(b -> b.tableName(stack.tableName).item(Map.of("PK", AttributeValue.fromS("ORG#" + orgId),
                "SK", AttributeValue.fromS("OPEN_HOLDS#" + ownerId), "openHolds", AttributeValue.fromN("2"))));
        stack.dynamo().updateItem(b -> b.tableName(stack.tableName).key(key("USER#" + inviteeId, "PENDING_INVITATIONS"))
                .updateExpression("SET #c = :five").expressionAttributeNames(Map.of("#c", "count"))
                .expressionAttributeValues(Map.of(":five", AttributeValue.fromN("5"))));
        JsonNode report = reconcile(orgId);
        assertTrue(!report.path("consistent").asBoolean(), report.toString());
        Map<String, String> found = new java.util.TreeMap<>();
        report.path("counterDrifts").forEach(d -> found.put(d.path("counter").asText() + " " + d.path("userId").asText(),
                d.path("stored").asLong() + "/" + d.path("counted").asLong()));
        assertEquals(Map.of("openHolds " + ownerId, "2/0", "pendingInvitations " + inviteeId, "5/1"), found, report.toString());
    }
}
