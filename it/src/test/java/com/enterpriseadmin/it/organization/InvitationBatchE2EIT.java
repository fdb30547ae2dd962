package com.enterpriseadmin.it.organization;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import com.enterpriseadmin.it.TestStack;
import com.enterpriseadmin.it.TestStack.Response;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/** Bulk invitations (per-row results, replay under the key) and the edit of a PENDING invitation, end to end. */
class InvitationBatchE2EIT {
    private static final ObjectMapper JSON = new ObjectMapper();

    private static Response batch(TestStack stack, String token, String orgId, String key, Object body) throws Exception {
        Map<String, String> headers = new HashMap<>(Map.of("Authorization", "Bearer " + token, "Content-Type", "application/json"));
        if (key != null) {
            headers.put("Idempotency-Key", key);
        }
        // 100 rows are ~600 calls to the local emulator, which serialises them (~40 s here); deployed, 10 rows at a time.
        return stack.send("POST", "/v1/organizations/" + orgId + "/invitations/batch", headers, JSON.writeValueAsString(body),
                java.time.Duration.ofSeconds(180));
    }

    /** Signed-up, confirmed people (invitable; they need not sign in to be invited). */
    private static List<String> signedUp(TestStack stack, int count) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            List<Future<String>> emails = new ArrayList<>();
            for (int i = 0; i < count; i++) {
                emails.add(pool.submit(() -> {
                    String email = "bulk-" + UUID.randomUUID().toString().substring(0, 12) + "@example.com";
                    stack.signUp(email, "Correct-Horse-42-" + UUID.randomUUID().toString().substring(0, 6), "Bulk " + email.substring(5, 11));
                    stack.confirm(email);
                    return email;
                }));
            }
            List<String> out = new ArrayList<>();
            for (Future<String> f : emails) {
                out.add(f.get());
            }
            return out;
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void aHundredRowBatchWithFiveBadRowsInvitesNinetyFiveRefusesFiveAndReplaysOnRetry() throws Exception {
        // The default daily limit of one administrator (50) would refuse rows 51+: a stack whose limits allow 100.
        TestStack stack = TestStack.withParameters(Map.of("InviteLimitPerInviterPerDay", "200", "InviteRateLimitPerDay", "200"));
        TestStack.User owner = stack.newUser();
        Response created = stack.post("/v1/organizations", owner.idToken(), Map.of("name", "Bulk " + UUID.randomUUID().toString().substring(0, 6)));
        assertEquals(201, created.status(), created.body());
        String orgId = created.json().path("orgId").asText();
        TestStack.User member = stack.newUser();
        Response inv = stack.post("/v1/organizations/" + orgId + "/invitations", owner.idToken(), Map.of("email", member.email(), "role", "USER"));
        assertEquals(201, inv.status(), inv.body());

        List<String> people = signedUp(stack, 95);
        List<Object> rows = new ArrayList<>();
        for (int i = 0; i < 100; i++) {
            switch (i) {
                case 10 -> rows.add(Map.of("email", "not-an-email", "role", "USER"));
                case 30 -> rows.add(Map.of("email", "nobody-" + UUID.randomUUID().toString().substring(0, 8) + "@example.com", "role", "USER"));
                case 50 -> rows.add(Map.of("email", "x" + UUID.randomUUID().toString().substring(0, 6) + "@example.com", "role", "OWNER"));
                case 70 -> rows.add(Map.of("email", people.get(0), "role", "USER", "teams", List.of(Map.of("teamId", "0123456789abcdefghjkmnpqrs", "role", "MEMBER"))));
                case 90 -> rows.add("just text");
                default -> rows.add(Map.of("email", people.remove(people.size() - 1), "role", i % 2 == 0 ? "USER" : "ADMIN"));
            }
        }
        assertEquals(0, people.size(), "95 good rows, each person once");
        String key = UUID.randomUUID().toString();
        long started = System.nanoTime();
        Response first = batch(stack, owner.idToken(), orgId, key, Map.of("invitations", rows));
        System.out.printf("100-row batch answered in %d ms%n", (System.nanoTime() - started) / 1_000_000);
        assertEquals(200, first.status(), first.body());
        JsonNode result = first.json();
        assertEquals(95, result.path("created").asInt(), first.body());
        assertEquals(5, result.path("refused").asInt());
        assertEquals(0, result.path("alreadyPending").asInt());
        Map<Integer, String> refusals = new HashMap<>();
        for (JsonNode r : result.path("results")) {
            if ("refused".equals(r.path("result").asText())) {
                refusals.put(r.path("index").asInt(), r.path("problem").path("code").asText() + " " + r.path("problem").path("field").asText());
            } else {
                assertEquals("created", r.path("result").asText());
                assertEquals("PENDING", r.path("invitation").path("status").asText());
            }
        }
        assertEquals(Map.of(
                10, "invalid-email invitations[10].email",
                30, "user-not-signed-up invitations[30].email",
                50, "invalid-input invitations[50].role",
                70, "unknown-team invitations[70].teams[0].teamId",
                90, "invalid-input invitations[90]"), refusals);

        Response pending = stack.get("/v1/organizations/" + orgId + "/invitations?status=PENDING&limit=100", owner.idToken());
        assertEquals(96, pending.json().path("items").size(), "95 from the batch and the one before it");

        Response replay = batch(stack, owner.idToken(), orgId, key, Map.of("invitations", rows));
        assertEquals(200, replay.status());
        assertEquals("true", replay.headers().firstValue("idempotent-replayed").orElse(""));
        assertEquals(result, replay.json(), "the replay is the first answer");
        assertEquals(96, stack.get("/v1/organizations/" + orgId + "/invitations?status=PENDING&limit=100", owner.idToken())
                .json().path("items").size(), "nothing invited twice");

        Response reused = batch(stack, owner.idToken(), orgId, key, Map.of("invitations", rows.subList(0, 3)));
        assertEquals(422, reused.status());
        assertEquals("idempotency-key-reused", reused.json().path("code").asText());

        // A new key: every row already pending (or refused again), nothing new.
        Response again = batch(stack, owner.idToken(), orgId, UUID.randomUUID().toString(), Map.of("invitations", rows));
        assertEquals(95, again.json().path("alreadyPending").asInt(), again.body());
        assertEquals(0, again.json().path("created").asInt());
    }

    @Test
    void rowsBeyondADailyLimitAreRefusedRowsNotA429AndBadRequestsAreClear() throws Exception {
        TestStack stack = TestStack.get();
        TestStack.User owner = Orgs.newUser();
        String orgId = Orgs.createOrg(owner, "Limits " + UUID.randomUUID().toString().substring(0, 6));
        String ownerId = Orgs.userId(owner);
        TestStack.User user = Orgs.newUser();
        Orgs.join(owner, orgId, user, "USER");
        // The administrator already sent 48 of their 50 invitations today (in other organizations, say).
        String day = LocalDate.now(ZoneOffset.UTC).toString();
        stack.dynamo().putItem(b -> b.tableName(stack.tableName).item(Map.of(
                "PK", AttributeValue.fromS("USER#" + ownerId), "SK", AttributeValue.fromS("INVITE_RATE#" + day),
                "count", AttributeValue.fromN("48"), "type", AttributeValue.fromS("INVITER_RATE"))));
        List<String> people = signedUp(stack, 4);
        List<Object> rows = people.stream().<Object>map(e -> Map.of("email", e, "role", "USER")).toList();
        Response r = batch(stack, owner.idToken(), orgId, UUID.randomUUID().toString(), Map.of("invitations", rows));
        assertEquals(200, r.status(), r.body());
        assertEquals(2, r.json().path("created").asInt());
        assertEquals(2, r.json().path("refused").asInt());
        int limited = 0;
        for (JsonNode row : r.json().path("results")) {
            if ("refused".equals(row.path("result").asText())) {
                assertEquals("inviter-rate-limited", row.path("problem").path("code").asText(), row.toString());
                assertEquals(429, row.path("problem").path("status").asInt());
                limited++;
            }
        }
        assertEquals(2, limited, "exactly the two rows beyond the limit, whichever came to it last");

        Orgs.assertProblem(batch(stack, owner.idToken(), orgId, null, Map.of("invitations", rows)), 400, "idempotency-key-required");
        Orgs.assertProblem(batch(stack, owner.idToken(), orgId, "k-" + UUID.randomUUID(), Map.of("invitations", List.of())), 400, "invalid-input");
        List<Object> tooMany = new ArrayList<>();
        for (int i = 0; i < 101; i++) {
            tooMany.add(Map.of("email", "a" + i + "@example.com", "role", "USER"));
        }
        Orgs.assertProblem(batch(stack, owner.idToken(), orgId, "k-" + UUID.randomUUID(), Map.of("invitations", tooMany)), 400, "invalid-input");
        Orgs.assertProblem(batch(stack, user.idToken(), orgId, "k-" + UUID.randomUUID(), Map.of("invitations", rows)), 403, "forbidden");
        TestStack.User stranger = Orgs.newUser();
        Orgs.assertProblem(batch(stack, stranger.idToken(), orgId, "k-" + UUID.randomUUID(), Map.of("invitations", rows)), 404, "organization-not-found");
    }

    @Test
    void aPendingInvitationsRoleAndTeamsCanBeChangedAndNothingElse() throws Exception {
        TestStack stack = TestStack.get();
        TestStack.User owner = Orgs.newUser();
        String orgId = Orgs.createOrg(owner, "Edit " + UUID.randomUUID().toString().substring(0, 6));
        Response team = stack.post("/v1/organizations/" + orgId + "/teams", owner.idToken(),
                Map.of("name", "Team " + UUID.randomUUID().toString().substring(0, 6), "budget", Map.of("mode", "LIMITED", "limit", 10)));
        assertEquals(201, team.status(), team.body());
        String teamId = team.json().path("teamId").asText();
        TestStack.User invitee = Orgs.newUser();
        String invitationId = Orgs.invited(owner, orgId, invitee, "USER");
        String path = "/v1/organizations/" + orgId + "/invitations/" + invitationId;

        Response edited = stack.send("PATCH", path, owner.idToken(), Map.of("role", "ADMIN", "teams", List.of(Map.of("teamId", teamId, "role", "ADMIN"))));
        assertEquals(200, edited.status(), edited.body());
        assertEquals("ADMIN", edited.json().path("role").asText());
        assertEquals(teamId, edited.json().path("teams").get(0).path("teamId").asText());
        JsonNode audit = stack.get("/v1/organizations/" + orgId + "/audit-log?action=invitation.updated&target=" + invitationId, owner.idToken()).json();
        assertEquals(1, audit.path("items").size(), audit.toString());
        assertEquals("USER", audit.path("items").get(0).path("before").path("role").asText());

        Orgs.assertProblem(stack.send("PATCH", path, owner.idToken(), Map.of()), 400, "invalid-input");
        Orgs.assertProblem(stack.send("PATCH", path, owner.idToken(), Map.of("role", "OWNER")), 400, "invalid-input");
        Orgs.assertProblem(stack.send("PATCH", path, owner.idToken(),
                Map.of("teams", List.of(Map.of("teamId", "0123456789abcdefghjkmnpqrs", "role", "MEMBER")))), 400, "unknown-team");

        // Accepted with what the edit set: org ADMIN, team ADMIN.
        Response accepted = Orgs.accept(invitee, invitationId);
        assertEquals(200, accepted.status(), accepted.body());
        JsonNode membership = Orgs.membership(invitee, orgId);
        assertNotNull(membership);
        assertEquals("ADMIN", membership.path("role").asText());
        assertEquals("ADMIN", membership.path("teams").get(0).path("role").asText());

        Orgs.assertProblem(stack.send("PATCH", path, owner.idToken(), Map.of("role", "USER")), 409, "invitation-not-pending");
        String otherOrg = Orgs.createOrg(owner, "Other " + UUID.randomUUID().toString().substring(0, 6));
        Orgs.assertProblem(stack.send("PATCH", "/v1/organizations/" + otherOrg + "/invitations/" + invitationId, owner.idToken(),
                Map.of("role", "USER")), 404, "invitation-not-found");
    }
}
