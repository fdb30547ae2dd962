package com.enterpriseadmin.it.credit;

import static com.enterpriseadmin.it.credit.CreditFixture.ok;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.enterpriseadmin.credit.Idempotency;
import com.enterpriseadmin.credit.Requests;
import com.enterpriseadmin.http.Json;
import com.enterpriseadmin.it.TestStack;
import com.enterpriseadmin.it.credit.CreditFixture.Org;
import com.enterpriseadmin.it.credit.CreditFixture.Person;
import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/** The credits flow end to end, over HTTP through the local runtime, with real emulator tokens. */
class CreditsE2EIT {
    private static final ExecutorService POOL = Executors.newFixedThreadPool(16);
    private final CreditFixture fx = new CreditFixture();
    private final TestStack stack = fx.stack;

    @AfterAll
    static void stopPool() {
        POOL.shutdownNow();
    }

    private static <T> List<T> all(List<Callable<T>> tasks) throws Exception {
        List<T> results = new ArrayList<>();
        for (Future<T> f : POOL.invokeAll(tasks)) {
            results.add(f.get());
        }
        return results;
    }

    @Test
    void aLimitedTeamNeverOverspendsUnderConcurrencyAndASharedPoolDrainsTheOrgToExactlyZero() throws Exception {
        Org org = fx.org();
        assertEquals(201, fx.topUp(org, 1000).status());
        String teamId = fx.team(org, Map.of("mode", "LIMITED", "limit", 100));
        List<Person> members = fx.teamMembers(org, teamId, 4);

        List<Callable<TestStack.Response>> tasks = new ArrayList<>();
        for (int i = 0; i < 60; i++) {
            Person who = members.get(i % members.size());
            tasks.add(() -> fx.consume(org, teamId, who, 3, UUID.randomUUID().toString()));
        }
        List<TestStack.Response> responses = all(tasks);
        long admitted = responses.stream().filter(r -> r.status() == 201).count();
        assertEquals(33, admitted, "100 / 3 = 33 consumptions fit the budget");
        for (TestStack.Response r : responses) {
            if (r.status() != 201) {
                assertEquals(409, r.status(), r.body());
                assertEquals("team-budget-exhausted", r.json().path("code").asText(), r.body());
                // The members are team MEMBERs: the rule and the amount asked for, not the team's figures.
                assertFalse(r.json().has("remaining"), r.body());
                assertEquals(3, r.json().path("requested").asLong(), r.body());
            }
        }
        JsonNode credits = fx.credits(org);
        assertEquals(1000, credits.path("purchased").asLong());
        assertEquals(99, credits.path("consumed").asLong());
        assertEquals(901, credits.path("available").asLong());
        JsonNode team = fx.teamUsage(credits, teamId);
        assertEquals(99, team.path("periodConsumed").asLong());
        assertEquals(1, team.path("remaining").asLong());

        // Switch to the shared pool: only the organization's 901 available credits bound the team now.
        ok(stack.send("PUT", "/v1/organizations/" + org.orgId() + "/teams/" + teamId + "/budget", org.owner().token(),
                Map.of("mode", "SHARED_POOL")), 200);
        tasks.clear();
        for (int i = 0; i < 60; i++) {
            Person who = members.get(i % members.size());
            tasks.add(() -> fx.consume(org, teamId, who, 17, UUID.randomUUID().toString()));
        }
        responses = all(tasks);
        assertEquals(53, responses.stream().filter(r -> r.status() == 201).count(), "901 / 17 = 53");
        responses.stream().filter(r -> r.status() != 201).forEach(r -> {
            assertEquals(409, r.status(), r.body());
            assertEquals("organization-credits-exhausted", r.json().path("code").asText(), r.body());
        });
        credits = fx.credits(org);
        assertEquals(0, credits.path("available").asLong());
        assertEquals(1000, credits.path("consumed").asLong());
        assertEquals(1000, fx.teamUsage(credits, teamId).path("consumedTotal").asLong());
        assertNoDrift(org);
    }

    @Test
    void idempotencyReplaysRejectsOtherBodiesAndRefusesWhileInFlight() throws Exception {
        Org org = fx.org();
        fx.topUp(org, 500);
        String teamId = fx.team(org, Map.of("mode", "SHARED_POOL"));
        Person member = fx.teamMembers(org, teamId, 1).get(0);
        String key = UUID.randomUUID().toString();

        TestStack.Response first = fx.consume(org, teamId, member, 10, key);
        assertEquals(201, first.status(), first.body());
        TestStack.Response replay = fx.consume(org, teamId, member, 10, key);
        assertEquals(201, replay.status());
        assertEquals(first.json(), replay.json());
        assertEquals("true", replay.headers().firstValue("idempotent-replayed").orElse(""));
        assertFalse(first.headers().firstValue("idempotent-replayed").isPresent());

        TestStack.Response other = fx.consume(org, teamId, member, 11, key);
        assertEquals(422, other.status(), other.body());
        assertEquals("idempotency-key-reused", other.json().path("code").asText());
        assertEquals(490, fx.credits(org).path("available").asLong(), "applied once");

        // A request still in flight (its lock fresh): the duplicate is told to retry later.
        String inFlight = UUID.randomUUID().toString();
        stack.dynamo().putItem(b -> b.tableName(stack.tableName).item(Map.of(
                "PK", AttributeValue.fromS("IDEMPOTENCY#" + org.orgId() + "#" + inFlight), "SK", AttributeValue.fromS("IDEMPOTENCY"),
                "status", AttributeValue.fromS("IN_PROGRESS"),
                "fingerprint", AttributeValue.fromS(Idempotency.fingerprint("POST", "consumptions", org.orgId(), teamId, member.userId(),
                        new Json().write(new Requests.Consume(10L, null, null)))),
                "lockId", AttributeValue.fromS("someone-else"),
                "lockExpiresAtMs", AttributeValue.fromN(Long.toString(Instant.now().plusSeconds(30).toEpochMilli())))));
        TestStack.Response busy = fx.consume(org, teamId, member, 10, inFlight);
        assertEquals(409, busy.status(), busy.body());
        assertEquals("idempotency-request-in-flight", busy.json().path("code").asText());
        assertEquals(422, fx.consume(org, teamId, member, 11, inFlight).status(), "another body under a key in flight is a mismatch");
        assertEquals(490, fx.credits(org).path("available").asLong(), "nothing applied");

        // The same request sent 20 times at once under one key: applied exactly once; every answer is the
        // original 201 or a 409 "in flight".
        String raced = UUID.randomUUID().toString();
        List<Callable<TestStack.Response>> tasks = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            tasks.add(() -> fx.consume(org, teamId, member, 7, raced));
        }
        Set<String> bodies = new HashSet<>();
        for (TestStack.Response r : all(tasks)) {
            if (r.status() == 201) {
                bodies.add(r.body());
            } else {
                assertEquals(409, r.status(), r.body());
                assertEquals("idempotency-request-in-flight", r.json().path("code").asText());
            }
        }
        assertEquals(1, bodies.size(), "every success is the same response");
        assertEquals(483, fx.credits(org).path("available").asLong(), "applied exactly once");

        // Refusals are remembered too: the same key replays the refusal even after a top-up.
        String refusedKey = UUID.randomUUID().toString();
        TestStack.Response refused = fx.consume(org, teamId, member, 10_000, refusedKey);
        assertEquals(409, refused.status());
        fx.topUp(org, 20_000);
        TestStack.Response refusedAgain = fx.consume(org, teamId, member, 10_000, refusedKey);
        assertEquals(409, refusedAgain.status());
        assertEquals("true", refusedAgain.headers().firstValue("idempotent-replayed").orElse(""));

        TestStack.Response noKey = fx.withKey("POST", "/v1/organizations/" + org.orgId() + "/teams/" + teamId + "/consumptions",
                member.token(), null, "{\"amount\":1}");
        assertEquals(400, noKey.status());
        assertEquals("Idempotency-Key", noKey.json().path("field").asText());
        assertNoDrift(org);
    }

    @Test
    void holdsCaptureLessReleaseAndExpireThroughTheSchedule() throws Exception {
        Org org = fx.org();
        fx.topUp(org, 100);
        String teamId = fx.team(org, Map.of("mode", "LIMITED", "limit", 80));
        Person member = fx.teamMembers(org, teamId, 1).get(0);
        String base = "/v1/organizations/" + org.orgId() + "/teams/" + teamId + "/holds";

        JsonNode hold = ok(fx.withKey("POST", base, member.token(), UUID.randomUUID().toString(), "{\"amount\":50,\"expiresInSeconds\":600}"), 201);
        String holdId = hold.path("holdId").asText();
        assertEquals("OPEN", hold.path("status").asText());
        JsonNode credits = fx.credits(org);
        assertEquals(50, credits.path("held").asLong());
        assertEquals(50, credits.path("available").asLong());
        assertEquals(30, fx.teamUsage(credits, teamId).path("remaining").asLong());

        // The team budget counts the hold: 40 more would exceed 80.
        TestStack.Response over = fx.consume(org, teamId, member, 40, UUID.randomUUID().toString());
        assertEquals("team-budget-exhausted", over.json().path("code").asText(), over.body());

        TestStack.Response tooMuch = fx.withKey("POST", base + "/" + holdId + "/capture", member.token(), UUID.randomUUID().toString(), "{\"amount\":51}");
        assertEquals(400, tooMuch.status(), tooMuch.body());
        String captureKey = UUID.randomUUID().toString();
        JsonNode captured = ok(fx.withKey("POST", base + "/" + holdId + "/capture", member.token(), captureKey, "{\"amount\":30}"), 200);
        assertEquals("CAPTURED", captured.path("status").asText());
        assertEquals(30, captured.path("captured").asLong());
        assertEquals(20, captured.path("released").asLong());
        TestStack.Response again = fx.withKey("POST", base + "/" + holdId + "/capture", member.token(), captureKey, "{\"amount\":30}");
        assertEquals(200, again.status());
        assertEquals("true", again.headers().firstValue("idempotent-replayed").orElse(""));
        TestStack.Response twice = fx.withKey("POST", base + "/" + holdId + "/release", member.token(), UUID.randomUUID().toString(), null);
        assertEquals(409, twice.status());
        assertEquals("hold-not-open", twice.json().path("code").asText());

        credits = fx.credits(org);
        assertEquals(0, credits.path("held").asLong());
        assertEquals(30, credits.path("consumed").asLong());
        assertEquals(70, credits.path("available").asLong());
        assertEquals(50, fx.teamUsage(credits, teamId).path("remaining").asLong());

        String released = ok(fx.withKey("POST", base, member.token(), UUID.randomUUID().toString(), "{\"amount\":20,\"expiresInSeconds\":600}"), 201)
                .path("holdId").asText();
        ok(fx.withKey("POST", base + "/" + released + "/release", member.token(), UUID.randomUUID().toString(), "{\"reason\":\"job cancelled\"}"), 200);
        assertEquals(70, fx.credits(org).path("available").asLong());

        // A hold whose expiry passed is released by the scheduled job.
        String expiring = ok(fx.withKey("POST", base, member.token(), UUID.randomUUID().toString(), "{\"amount\":25,\"expiresInSeconds\":600}"), 201)
                .path("holdId").asText();
        assertEquals(45, fx.credits(org).path("available").asLong());
        stack.dynamo().updateItem(b -> b.tableName(stack.tableName)
                .key(Map.of("PK", AttributeValue.fromS("ORG#" + org.orgId()), "SK", AttributeValue.fromS("HOLD#" + expiring)))
                .updateExpression("SET expiresAtMs = :past, expiresAt = :pastIso")
                .expressionAttributeValues(Map.of(":past", AttributeValue.fromN(Long.toString(Instant.now().minusSeconds(1).toEpochMilli())),
                        ":pastIso", AttributeValue.fromS(Instant.now().minusSeconds(1).toString()))));
        TestStack.Response late = fx.withKey("POST", base + "/" + expiring + "/capture", member.token(), UUID.randomUUID().toString(), "{\"amount\":5}");
        assertEquals("hold-expired", late.json().path("code").asText(), late.body());
        stack.invoke("ReconcileOrganizationFunction", "{\"orgId\":\"" + org.orgId() + "\"}");
        credits = fx.credits(org);
        assertEquals(0, credits.path("held").asLong());
        assertEquals(70, credits.path("available").asLong());
        assertNoDrift(org);
    }

    @Test
    void outsidersArchivedTeamsAndSuspendedUsersAreRefused() throws Exception {
        Org org = fx.org();
        fx.topUp(org, 100);
        String teamId = fx.team(org, Map.of("mode", "SHARED_POOL"));
        Person member = fx.teamMembers(org, teamId, 1).get(0);
        Person notInTeam = fx.member(org, "USER");
        Person stranger = fx.person();

        TestStack.Response r = fx.consume(org, teamId, stranger, 1, UUID.randomUUID().toString());
        assertEquals(404, r.status(), r.body());
        assertEquals("organization-not-found", r.json().path("code").asText());
        r = fx.consume(org, teamId, notInTeam, 1, UUID.randomUUID().toString());
        assertEquals(403, r.status(), r.body());
        assertEquals("not-a-team-member", r.json().path("code").asText());
        r = fx.consume(org, "0000000000000000000000000a", org.owner(), 1, UUID.randomUUID().toString());
        assertEquals(404, r.status(), "a team that does not exist is the 404 of any unknown id, even for the owner: " + r.body());
        assertEquals("team-not-found", r.json().path("code").asText());

        // A user cannot top up, see the ledger or the balance.
        assertEquals(403, fx.withKey("POST", "/v1/organizations/" + org.orgId() + "/credits/top-ups", member.token(), "k",
                "{\"amount\":5,\"source\":\"GRANT\"}").status());
        assertEquals(403, stack.get("/v1/organizations/" + org.orgId() + "/credits", member.token()).status());
        assertEquals(403, stack.get("/v1/organizations/" + org.orgId() + "/ledger", member.token()).status());
        assertEquals(404, stack.get("/v1/organizations/" + org.orgId() + "/ledger", stranger.token()).status());

        // Suspended: refused, and their reservations are given back at once.
        String holds = "/v1/organizations/" + org.orgId() + "/teams/" + teamId + "/holds";
        String holdId = ok(fx.withKey("POST", holds, member.token(), UUID.randomUUID().toString(), "{\"amount\":30,\"expiresInSeconds\":600}"), 201)
                .path("holdId").asText();
        assertEquals(30, fx.credits(org).path("held").asLong());
        ok(stack.send("PATCH", "/v1/organizations/" + org.orgId() + "/users/" + member.userId(), org.owner().token(),
                Map.of("status", "SUSPENDED")), 200);
        assertEquals(0, fx.credits(org).path("held").asLong());
        assertEquals(100, fx.credits(org).path("available").asLong());
        r = fx.consume(org, teamId, member, 1, UUID.randomUUID().toString());
        assertEquals(403, r.status(), r.body());
        r = fx.withKey("POST", holds + "/" + holdId + "/capture", member.token(), UUID.randomUUID().toString(), "{\"amount\":1}");
        assertEquals(403, r.status(), "a suspended member captures nothing: " + r.body());
        ok(stack.send("PATCH", "/v1/organizations/" + org.orgId() + "/users/" + member.userId(), org.owner().token(),
                Map.of("status", "ACTIVE")), 200);
        assertEquals(201, fx.consume(org, teamId, member, 1, UUID.randomUUID().toString()).status());

        // Archived: refused, history kept.
        ok(stack.send("PATCH", "/v1/organizations/" + org.orgId() + "/teams/" + teamId, org.owner().token(), Map.of("archived", true)), 200);
        r = fx.consume(org, teamId, member, 1, UUID.randomUUID().toString());
        assertEquals(409, r.status(), r.body());
        assertEquals("team-archived", r.json().path("code").asText());
        JsonNode ledger = ok(stack.get("/v1/organizations/" + org.orgId() + "/ledger?teamId=" + teamId, org.owner().token()), 200);
        assertEquals(3, ledger.path("items").size(), "the hold placed and released, the consumption: " + ledger);

        // Bad input never reaches the store and never answers 500.
        for (String body : List.of("{}", "{\"amount\":0}", "{\"amount\":-1}", "{\"amount\":\"5\"}", "{\"amount\":1,\"teamId\":\"x\"}", "[]", "nope",
                "{\"amount\":5,\"source\":\"GRANT\",\"note\":\"a\\ud800\"}", "{\"amount\":5,\"source\":\"GRANT\",\"reference\":\"" + "r".repeat(201) + "\"}")) {
            TestStack.Response bad = fx.withKey("POST", "/v1/organizations/" + org.orgId() + "/credits/top-ups", org.owner().token(),
                    UUID.randomUUID().toString(), body);
            assertEquals(400, bad.status(), body + " -> " + bad.body());
            assertTrue(bad.json().hasNonNull("field"), bad.body());
        }
        assertNoDrift(org);
    }

    @Test
    void usageByMemberAndDayAndTheLedgerPaginate() throws Exception {
        Org org = fx.org();
        fx.topUp(org, 1000);
        String teamId = fx.team(org, Map.of("mode", "LIMITED", "limit", 500, "period", "MONTHLY"));
        List<Person> members = fx.teamMembers(org, teamId, 2);
        Person admin = fx.member(org, "USER");
        fx.addToTeam(org, teamId, admin, "ADMIN");
        for (int i = 0; i < 5; i++) {
            assertEquals(201, fx.consume(org, teamId, members.get(0), 4, UUID.randomUUID().toString()).status());
        }
        assertEquals(201, fx.consume(org, teamId, members.get(1), 9, UUID.randomUUID().toString()).status());
        String usagePath = "/v1/organizations/" + org.orgId() + "/teams/" + teamId + "/usage";

        JsonNode byMember = ok(stack.get(usagePath + "?groupBy=member", admin.token()), 200);
        assertEquals(29, byMember.path("consumed").asLong());
        Map<String, Long> perMember = new HashMap<>();
        byMember.path("rows").forEach(row -> perMember.put(row.path("userId").asText(), row.path("consumed").asLong()));
        assertEquals(Map.of(members.get(0).userId(), 20L, members.get(1).userId(), 9L), perMember);

        JsonNode own = ok(stack.get(usagePath, members.get(1).token()), 200);
        assertTrue(own.path("ownUsageOnly").asBoolean());
        assertEquals(9, own.path("consumed").asLong());

        JsonNode byDay = ok(stack.get(usagePath + "?groupBy=day", org.owner().token()), 200);
        assertEquals(29, byDay.path("consumed").asLong());
        assertEquals(1, byDay.path("rows").size());
        assertEquals(400, stack.get(usagePath + "?groupBy=week", org.owner().token()).status());
        assertEquals(400, stack.get(usagePath + "?from=yesterday", org.owner().token()).status());

        // 1 top-up + 6 consumptions, three per page, newest first, no loss, no duplicate.
        Set<String> seen = new HashSet<>();
        String cursor = null;
        int pages = 0;
        do {
            JsonNode page = ok(stack.get("/v1/organizations/" + org.orgId() + "/ledger?limit=3" + (cursor == null ? "" : "&cursor=" + cursor),
                    org.owner().token()), 200);
            page.path("items").forEach(e -> assertTrue(seen.add(e.path("entryId").asText())));
            cursor = page.hasNonNull("nextCursor") ? page.path("nextCursor").asText() : null;
            pages++;
        } while (cursor != null);
        assertEquals(7, seen.size());
        assertEquals(3, pages);
        assertEquals(400, stack.get("/v1/organizations/" + org.orgId() + "/ledger?cursor=garbage", org.owner().token()).status());
        // A hand-made cursor for the team index that lacks the index's sort key, and times past year 9999.
        String crafted = java.util.Base64.getUrlEncoder().withoutPadding().encodeToString(("GSI1PK=ORG#" + org.orgId() + "#TEAM#" + teamId
                + "\nPK=ORG#" + org.orgId() + "#LEDGER\nSK=a\n").getBytes(java.nio.charset.StandardCharsets.UTF_8));
        TestStack.Response badCursor = stack.get("/v1/organizations/" + org.orgId() + "/ledger?teamId=" + teamId + "&cursor=" + crafted, org.owner().token());
        assertEquals(400, badCursor.status(), badCursor.body());
        assertEquals("cursor", badCursor.json().path("field").asText());
        assertEquals(400, stack.get("/v1/organizations/" + org.orgId() + "/ledger?from=2020-01-01T00:00:00Z&to=%2B10000-01-01T00:00:00Z",
                org.owner().token()).status());
        assertEquals(400, stack.get(usagePath + "?to=%2B10000-01-01T00:00:00Z", org.owner().token()).status());
    }

    @Test
    void budgetChangesUseIfMatchAndLoweringALimitBlocksFurtherConsumption() throws Exception {
        Org org = fx.org();
        fx.topUp(org, 1000);
        String teamId = fx.team(org, Map.of("mode", "LIMITED", "limit", 50));
        Person member = fx.teamMembers(org, teamId, 1).get(0);
        assertEquals(201, fx.consume(org, teamId, member, 30, UUID.randomUUID().toString()).status());
        String budget = "/v1/organizations/" + org.orgId() + "/teams/" + teamId + "/budget";

        TestStack.Response team = stack.get("/v1/organizations/" + org.orgId() + "/teams/" + teamId, org.owner().token());
        String etag = team.headers().firstValue("etag").orElseThrow();
        Map<String, String> headers = Map.of("Authorization", "Bearer " + org.owner().token(), "Content-Type", "application/json", "If-Match", etag);
        TestStack.Response lowered = stack.send("PUT", budget, headers, "{\"mode\":\"LIMITED\",\"limit\":20}");
        assertEquals(200, lowered.status(), lowered.body());
        assertEquals(412, stack.send("PUT", budget, headers, "{\"mode\":\"LIMITED\",\"limit\":25}").status(), "stale ETag");
        assertEquals(403, stack.send("PUT", budget, member.token(), Map.of("mode", "SHARED_POOL")).status());
        assertEquals(400, stack.send("PUT", budget, org.owner().token(), Map.of("mode", "SHARED_POOL", "limit", 5)).status());

        TestStack.Response blocked = fx.consume(org, teamId, member, 1, UUID.randomUUID().toString());
        assertEquals("team-budget-exhausted", blocked.json().path("code").asText(), blocked.body());
        ok(stack.send("PUT", budget, org.owner().token(), Map.of("mode", "LIMITED", "limit", 40, "period", "MONTHLY")), 200);
        assertEquals(201, fx.consume(org, teamId, member, 10, UUID.randomUUID().toString()).status(), "the period switch carried the 30 over");
        assertEquals("team-budget-exhausted", fx.consume(org, teamId, member, 1, UUID.randomUUID().toString()).json().path("code").asText());

        JsonNode audit = ok(stack.get("/v1/organizations/" + org.orgId() + "/audit-log", org.owner().token()), 200);
        long changes = 0;
        for (JsonNode e : audit.path("items")) {
            if (e.path("action").asText().equals("team.budget-changed")) {
                changes++;
            }
        }
        assertEquals(2, changes);
        assertNoDrift(org);
    }

    private void assertNoDrift(Org org) {
        JsonNode report = stack.invoke("ReconcileOrganizationFunction", "{\"orgId\":\"" + org.orgId() + "\"}");
        assertTrue(report.path("consistent").asBoolean(), "drift in " + org.orgId() + ": " + report);
    }
}
