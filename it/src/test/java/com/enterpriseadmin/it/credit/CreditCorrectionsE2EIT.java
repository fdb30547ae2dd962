package com.enterpriseadmin.it.credit;

import static com.enterpriseadmin.it.credit.CreditFixture.ok;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.enterpriseadmin.it.TestStack;
import com.enterpriseadmin.it.credit.CreditFixture.Org;
import com.enterpriseadmin.it.credit.CreditFixture.Person;
import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/**
 * Refunds, top-up reversals, budget transfers and budget requests end to end, over HTTP through the local runtime: under
 * concurrency the conditions hold (an entry never refunded beyond its amount, a request approved twice raises once, a
 * transfer racing consumptions never lets the source overspend), and the reconciliation job finds no drift after them.
 */
class CreditCorrectionsE2EIT {
    private static final ExecutorService POOL = Executors.newFixedThreadPool(16);
    private final CreditFixture fx = new CreditFixture();
    private final TestStack stack = fx.stack;

    @AfterAll
    static void stopPool() {
        POOL.shutdownNow();
    }

    private static <T> List<T> all(List<Callable<T>> tasks) throws Exception {
        return CreditFixture.all(POOL, tasks);
    }

    private static String orgPath(Org org) {
        return "/v1/organizations/" + org.orgId();
    }

    private TestStack.Response refund(Org org, String entryId, Long amount, String key) {
        return fx.withKey("POST", orgPath(org) + "/credits/refunds", org.owner().token(), key,
                "{\"ledgerEntryId\":\"" + entryId + "\"," + (amount == null ? "" : "\"amount\":" + amount + ",") + "\"reason\":\"failed job\"}");
    }

    private JsonNode team(Org org, String teamId) {
        return ok(stack.get(orgPath(org) + "/teams/" + teamId, org.owner().token()), 200);
    }

    private void assertNoDrift(Org org) {
        JsonNode report = stack.invoke("ReconcileOrganizationFunction", "{\"orgId\":\"" + org.orgId() + "\"}");
        assertTrue(report.path("consistent").asBoolean(), "the reconciliation job finds no drift: " + report);
    }

    @Test
    void concurrentRefundsOfOneEntryNeverExceedItAndGiveBackToTheAccountAndTheTeam() throws Exception {
        Org org = fx.org();
        fx.topUp(org, 1000);
        String teamId = fx.team(org, Map.of("mode", "LIMITED", "limit", 100));
        Person member = fx.teamMembers(org, teamId, 1).get(0);
        JsonNode consumption = ok(fx.consume(org, teamId, member, 50, UUID.randomUUID().toString()), 201);
        String entryId = consumption.path("entryId").asText();
        assertEquals(50, team(org, teamId).path("remaining").asLong());

        List<Callable<TestStack.Response>> tasks = new ArrayList<>();
        for (int i = 0; i < 12; i++) {
            tasks.add(() -> refund(org, entryId, 10L, UUID.randomUUID().toString()));
        }
        List<TestStack.Response> answers = all(tasks);
        long refunded = answers.stream().filter(r -> r.status() == 201).count();
        assertEquals(5, refunded, "50 credits, refunds of 10: exactly five");
        for (TestStack.Response r : answers) {
            if (r.status() != 201) {
                assertEquals(409, r.status(), r.body());
                assertEquals("refund-exceeds-entry", r.json().path("code").asText());
                assertEquals(0, r.json().path("refundable").asLong(), r.body());
            } else {
                assertEquals("REFUND", r.json().path("kind").asText());
                assertEquals(entryId, r.json().path("reference").asText(), "the REFUND points at the original");
            }
        }
        JsonNode credits = fx.credits(org);
        assertEquals(1000, credits.path("available").asLong(), "every credit given back");
        assertEquals(0, credits.path("consumed").asLong());
        assertEquals(100, team(org, teamId).path("remaining").asLong(), "the team's period got it back too");

        // All that is left is nothing; a replay answers the first outcome; a top-up is not a spend; a member may not refund.
        assertEquals("refund-exceeds-entry", refund(org, entryId, null, UUID.randomUUID().toString()).json().path("code").asText());
        String key = UUID.randomUUID().toString();
        TestStack.Response first = refund(org, entryId, 1L, key);
        TestStack.Response replay = refund(org, entryId, 1L, key);
        assertEquals(first.status(), replay.status());
        assertEquals(first.json().path("code"), replay.json().path("code"));
        assertEquals("true", replay.headers().firstValue("idempotent-replayed").orElse(""));
        String topUpId = fx.topUp(org, 5).json().path("entryId").asText();
        assertEquals("entry-not-refundable", refund(org, topUpId, 1L, UUID.randomUUID().toString()).json().path("code").asText());
        TestStack.Response byMember = fx.withKey("POST", orgPath(org) + "/credits/refunds", member.token(), UUID.randomUUID().toString(),
                "{\"ledgerEntryId\":\"" + entryId + "\",\"reason\":\"mine\"}");
        assertEquals(403, byMember.status(), byMember.body());
        assertEquals(404, refund(org, "0000000000000000000000000a", 1L, UUID.randomUUID().toString()).status());
        assertNoDrift(org);
    }

    @Test
    void aReversalOfAMistakenTopUpNeverTakesAvailableBelowZeroNorBeyondTheTopUp() {
        Org org = fx.org();
        String topUpId = ok(fx.topUp(org, 500), 201).path("entryId").asText();
        String path = orgPath(org) + "/credits/top-ups/" + topUpId + "/reversals";
        JsonNode reversal = ok(fx.withKey("POST", path, org.owner().token(), UUID.randomUUID().toString(),
                "{\"amount\":300,\"reason\":\"500 typed for 200\"}"), 201);
        assertEquals("ADJUSTMENT", reversal.path("kind").asText());
        assertEquals(topUpId, reversal.path("reference").asText());
        assertEquals(200, fx.credits(org).path("available").asLong());

        String teamId = fx.team(org, Map.of("mode", "SHARED_POOL"));
        Person member = fx.teamMembers(org, teamId, 1).get(0);
        ok(fx.consume(org, teamId, member, 150, UUID.randomUUID().toString()), 201);
        TestStack.Response below = fx.withKey("POST", path, org.owner().token(), UUID.randomUUID().toString(), "{\"amount\":100,\"reason\":\"rest\"}");
        assertEquals(409, below.status(), below.body());
        assertEquals("reversal-exceeds-available", below.json().path("code").asText());
        assertEquals(50, below.json().path("available").asLong());
        TestStack.Response beyond = fx.withKey("POST", path, org.owner().token(), UUID.randomUUID().toString(), "{\"amount\":201,\"reason\":\"x\"}");
        assertEquals("refund-exceeds-entry", beyond.json().path("code").asText(), beyond.body());
        ok(fx.withKey("POST", path, org.owner().token(), UUID.randomUUID().toString(), "{\"amount\":50,\"reason\":\"rest\"}"), 201);
        assertEquals(0, fx.credits(org).path("available").asLong());
        assertNoDrift(org);
    }

    @Test
    void aTransferRacingConsumptionsNeverLetsTheSourceOverspend() throws Exception {
        Org org = fx.org();
        fx.topUp(org, 10_000);
        String source = fx.team(org, Map.of("mode", "LIMITED", "limit", 1000));
        String target = fx.team(org, Map.of("mode", "LIMITED", "limit", 0));
        List<Person> members = fx.teamMembers(org, source, 4);
        // One transfer first, so that the racing ones do not wait for a cold function while the consumptions run.
        ok(fx.withKey("POST", orgPath(org) + "/budget-transfers", org.owner().token(), UUID.randomUUID().toString(),
                "{\"fromTeamId\":\"" + source + "\",\"toTeamId\":\"" + target + "\",\"amount\":10}"), 201);

        // More asked than the source holds (6 × 100 transfers, one after another from one client so that one warm function
        // serves them, racing 120 × 10 consumptions from 15 clients: 1,800 > 990).
        java.util.concurrent.Future<List<TestStack.Response>> transfers = POOL.submit(() -> {
            List<TestStack.Response> answers = new ArrayList<>();
            for (int i = 0; i < 6; i++) {
                answers.add(fx.withKey("POST", orgPath(org) + "/budget-transfers", org.owner().token(), UUID.randomUUID().toString(),
                        "{\"fromTeamId\":\"" + source + "\",\"toTeamId\":\"" + target + "\",\"amount\":100}"));
            }
            return answers;
        });
        List<Callable<TestStack.Response>> tasks = new ArrayList<>();
        for (int i = 0; i < 120; i++) {
            Person who = members.get(i % members.size());
            tasks.add(() -> fx.consume(org, source, who, 10, UUID.randomUUID().toString()));
        }
        List<TestStack.Response> answers = new ArrayList<>(all(tasks));
        answers.addAll(transfers.get());
        long transferred = 0;
        long consumed = 0;
        for (TestStack.Response r : answers) {
            if (r.status() == 201 && r.json().has("transferId")) {
                transferred += 100;
            } else if (r.status() == 201) {
                consumed += 10;
            } else {
                assertEquals(409, r.status(), r.body());
                String code = r.json().path("code").asText();
                assertTrue(code.equals("team-budget-exhausted") || code.equals("transfer-exceeds-remaining"), r.body());
            }
        }
        JsonNode from = team(org, source);
        JsonNode to = team(org, target);
        transferred += 10;
        assertEquals(1000 - transferred, from.path("budget").path("limit").asLong());
        assertEquals(transferred, to.path("budget").path("limit").asLong());
        assertEquals(consumed, from.path("periodConsumed").asLong());
        assertTrue(consumed <= 1000 - transferred, "the source never spent beyond its lowered limit: " + consumed + " of " + (1000 - transferred));
        assertEquals(1000 - transferred - consumed, from.path("remaining").asLong());
        assertTrue(transferred > 10 && consumed > 0, "both raced: " + transferred + " / " + consumed);
        assertEquals(1000 - transferred, consumed, "every credit of the lowered limit was spent, none beyond");

        TestStack.Response shared = fx.withKey("POST", orgPath(org) + "/budget-transfers", org.owner().token(), UUID.randomUUID().toString(),
                "{\"fromTeamId\":\"" + target + "\",\"toTeamId\":\"" + fx.team(org, Map.of("mode", "SHARED_POOL")) + "\",\"amount\":1}");
        assertEquals("team-not-limited", shared.json().path("code").asText(), shared.body());
        assertNoDrift(org);
    }

    @Test
    void aBudgetRequestApprovedTwiceRaisesOnceAndOneMadeAgainstAnOlderVersionNeedsTheApproversSayso() throws Exception {
        Org org = fx.org();
        String teamId = fx.team(org, Map.of("mode", "LIMITED", "limit", 100));
        Person lead = fx.member(org, "USER");
        fx.addToTeam(org, teamId, lead, "ADMIN");
        Person plain = fx.teamMembers(org, teamId, 1).get(0);
        String requests = orgPath(org) + "/teams/" + teamId + "/budget-requests";
        assertEquals(403, stack.post(requests, plain.token(), Map.of("amount", 10, "reason", "more")).status(), "a team MEMBER may not ask");
        JsonNode request = ok(stack.post(requests, lead.token(), Map.of("amount", 50, "reason", "launch week")), 201);
        assertEquals("PENDING", request.path("status").asText());
        String approve = orgPath(org) + "/budget-requests/" + request.path("requestId").asText() + "/approve";

        List<Callable<TestStack.Response>> twice = List.of(() -> stack.post(approve, org.owner().token(), Map.of("note", "ok")),
                () -> stack.post(approve, org.owner().token(), Map.of("note", "ok")));
        List<TestStack.Response> answers = all(twice);
        assertEquals(1, answers.stream().filter(r -> r.status() == 200).count(), answers.toString());
        TestStack.Response loser = answers.stream().filter(r -> r.status() != 200).findFirst().orElseThrow();
        assertEquals(409, loser.status(), loser.body());
        assertEquals("budget-request-not-pending", loser.json().path("code").asText());
        assertEquals(150, team(org, teamId).path("budget").path("limit").asLong(), "raised once");
        assertEquals(150, team(org, teamId).path("remaining").asLong());

        // Made against a version the team has left: 412, unless approved at the current version.
        JsonNode second = ok(stack.post(requests, lead.token(), Map.of("amount", 25, "reason", "and more")), 201);
        ok(fx.send("PUT", orgPath(org) + "/teams/" + teamId + "/budget", org.owner().token(), Map.of("mode", "LIMITED", "limit", 120)), 200);
        String approveSecond = orgPath(org) + "/budget-requests/" + second.path("requestId").asText() + "/approve";
        TestStack.Response stale = stack.post(approveSecond, org.owner().token(), null);
        assertEquals(412, stale.status(), stale.body());
        assertEquals("version-mismatch", stale.json().path("code").asText());
        ok(stack.post(approveSecond, org.owner().token(), Map.of("atCurrentVersion", true)), 200);
        assertEquals(145, team(org, teamId).path("budget").path("limit").asLong());

        // Declined with a note, withdrawn by its requester only, listed by state.
        JsonNode third = ok(stack.post(requests, lead.token(), Map.of("amount", 5, "reason", "x")), 201);
        JsonNode fourth = ok(stack.post(requests, lead.token(), Map.of("amount", 6, "reason", "y")), 201);
        JsonNode declined = ok(stack.post(orgPath(org) + "/budget-requests/" + third.path("requestId").asText() + "/decline",
                org.owner().token(), Map.of("note", "not this month")), 200);
        assertEquals("DECLINED", declined.path("status").asText());
        assertEquals("not this month", declined.path("note").asText());
        String withdraw = orgPath(org) + "/budget-requests/" + fourth.path("requestId").asText() + "/withdraw";
        assertEquals(403, stack.post(withdraw, org.owner().token(), null).status(), "only the requester withdraws");
        assertEquals("WITHDRAWN", ok(stack.post(withdraw, lead.token(), null), 200).path("status").asText());
        JsonNode approved = ok(stack.get(orgPath(org) + "/budget-requests?status=APPROVED", org.owner().token()), 200);
        assertEquals(2, approved.path("items").size(), approved.toString());
        assertEquals(403, stack.get(orgPath(org) + "/budget-requests", lead.token()).status(), "a team ADMIN does not list the organization's");
        assertNoDrift(org);
    }

    @Test
    void fortyConcurrentConsumptionsOfOneCappedMemberAdmitExactlyTheMemberLimitOverTheAmountAndHoldsCountAgainstIt() throws Exception {
        Org org = fx.org();
        fx.topUp(org, 10_000);
        String teamId = fx.team(org, Map.of("mode", "LIMITED", "limit", 5000, "memberLimit", 60));
        assertEquals(60, team(org, teamId).path("budget").path("memberLimit").asLong());
        List<Person> members = fx.teamMembers(org, teamId, 2);
        Person capped = members.get(0);

        List<Callable<TestStack.Response>> tasks = new ArrayList<>();
        for (int i = 0; i < 40; i++) {
            tasks.add(() -> fx.consume(org, teamId, capped, 5, UUID.randomUUID().toString()));
        }
        List<TestStack.Response> answers = all(tasks);
        assertEquals(12, answers.stream().filter(r -> r.status() == 201).count(), "memberLimit 60 / 5 each");
        TestStack.Response refused = answers.stream().filter(r -> r.status() != 201).findFirst().orElseThrow();
        assertEquals(409, refused.status(), refused.body());
        assertEquals("member-budget-exhausted", refused.json().path("code").asText());
        assertEquals(0, refused.json().path("remaining").asLong(), "the member's own remaining");
        assertEquals(60, team(org, teamId).path("periodConsumed").asLong());

        // Another member of the team has their own 60; their own limit (set by an OWNER/ADMIN) wins over the team's.
        Person other = members.get(1);
        String seat = orgPath(org) + "/teams/" + teamId + "/members/" + other.userId();
        assertEquals(403, fx.send("PATCH", seat, other.token(), Map.of("limit", 1000)).status(), "not by the member");
        ok(fx.send("PATCH", seat, org.owner().token(), Map.of("limit", 20)), 200);
        String hold = orgPath(org) + "/teams/" + teamId + "/holds";
        JsonNode placed = ok(fx.withKey("POST", hold, other.token(), UUID.randomUUID().toString(), "{\"amount\":15,\"expiresInSeconds\":600}"), 201);
        TestStack.Response over = fx.consume(org, teamId, other, 10, UUID.randomUUID().toString());
        assertEquals("member-budget-exhausted", over.json().path("code").asText(), "a hold counts against the cap: " + over.body());
        assertEquals(5, over.json().path("remaining").asLong());
        // Captured for 5: 10 of the hold go back to the member.
        ok(fx.withKey("POST", hold + "/" + placed.path("holdId").asText() + "/capture", other.token(), UUID.randomUUID().toString(),
                "{\"amount\":5}"), 200);
        ok(fx.consume(org, teamId, other, 15, UUID.randomUUID().toString()), 201);
        assertEquals("member-budget-exhausted", fx.consume(org, teamId, other, 1, UUID.randomUUID().toString()).json().path("code").asText());

        // A refund gives the member's cap back too; removing the member's own limit brings the team's back.
        JsonNode ledger = ok(stack.get(orgPath(org) + "/ledger?teamId=" + teamId + "&limit=1", org.owner().token()), 200);
        String last = ledger.path("items").get(0).path("entryId").asText();
        ok(refund(org, last, 15L, UUID.randomUUID().toString()), 201);
        ok(fx.consume(org, teamId, other, 15, UUID.randomUUID().toString()), 201);
        ok(fx.send("PATCH", seat, org.owner().token(), "{\"limit\":null}"), 200);
        ok(fx.consume(org, teamId, other, 40, UUID.randomUUID().toString()), 201);
        assertEquals("member-budget-exhausted", fx.consume(org, teamId, other, 1, UUID.randomUUID().toString()).json().path("code").asText(),
                "the team's 60: 5 + 15 + 40 used");

        // Raising the team's member limit applies to the seats without their own.
        ok(fx.send("PUT", orgPath(org) + "/teams/" + teamId + "/budget", org.owner().token(),
                Map.of("mode", "LIMITED", "limit", 5000, "memberLimit", 70)), 200);
        ok(fx.consume(org, teamId, capped, 10, UUID.randomUUID().toString()), 201);
        assertEquals("member-budget-exhausted", fx.consume(org, teamId, capped, 5, UUID.randomUUID().toString()).json().path("code").asText());
        assertNoDrift(org);
    }
}
