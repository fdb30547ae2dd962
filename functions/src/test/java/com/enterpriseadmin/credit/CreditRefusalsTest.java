package com.enterpriseadmin.credit;

import static com.enterpriseadmin.credit.CreditFakes.NOW;
import static com.enterpriseadmin.credit.CreditFakes.ORG;
import static com.enterpriseadmin.credit.CreditFakes.TEAM;
import static com.enterpriseadmin.credit.CreditFakes.USER;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.enterpriseadmin.audit.AuditStore;
import com.enterpriseadmin.auth.Caller;
import com.enterpriseadmin.auth.OrgRole;
import com.enterpriseadmin.error.DomainException;
import com.enterpriseadmin.http.ApiResponse;
import com.enterpriseadmin.http.Json;
import com.enterpriseadmin.http.Problems;
import com.enterpriseadmin.store.Db;
import com.enterpriseadmin.store.Ids;
import com.enterpriseadmin.store.Item;
import com.enterpriseadmin.store.Keys;
import com.enterpriseadmin.support.FakeDynamo;
import com.enterpriseadmin.team.Budget;
import com.enterpriseadmin.team.Team;
import java.time.Clock;
import java.time.ZoneOffset;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.model.PutItemRequest;
import software.amazon.awssdk.services.dynamodb.model.UpdateItemRequest;

/**
 * How a cancelled credit transaction becomes an answer: a refusal named from fresh reads, a lost
 * idempotency lock (409 in flight), or another attempt (contention, or a state that moved).
 */
class CreditRefusalsTest {
    private static final String CCF = "ConditionalCheckFailed";

    private final FakeDynamo dynamo = new FakeDynamo();
    private final Db db = CreditFakes.withBatchReads(dynamo);
    private final Json json = new Json();
    private final Clock clock = Clock.fixed(NOW, ZoneOffset.UTC);
    private final AuditStore audit = new AuditStore(db, json);
    private final CreditStore store = new CreditStore(db, audit);
    private final Idempotency idempotency = new Idempotency(db, json, clock);
    private final Credits credits = new Credits(CreditFakes.policy(dynamo), store, idempotency, audit, json, clock);
    private final HoldClosing holds = new HoldClosing(CreditFakes.policy(dynamo), store, idempotency, audit, json, clock);
    private final Caller caller = new Caller(USER, Optional.empty(), false, Optional.empty());

    @BeforeEach
    void organization() {
        CreditFakes.member(dynamo, USER, OrgRole.USER);
        dynamo.put(CreditFakes.accountItem(1000, 0, 0));
        limitedTeamWithRemaining(100);
    }

    private void limitedTeamWithRemaining(long remaining) {
        dynamo.put(CreditFakes.teamItem(CreditFakes.team(new Budget(Budget.Mode.LIMITED, 100L, Budget.Period.NONE), "ALL", 100 - remaining, 0, remaining)));
    }

    private Outcome consume(long amount) {
        return credits.consume(caller, ORG, TEAM, "key-1", new Requests.Consume(amount, null, null));
    }

    /** One cancellation of a consumption: the code of each of its 8 actions (team, account, membership, seat, ledger, usage per day, per month, the key's record), {@code CCF} at each of {@code failed}. */
    private void cancelConsumption(String code, int... failed) {
        List<String> codes = new java.util.ArrayList<>(Collections.nCopies(8, "None"));
        for (int i : failed) {
            codes.set(i, code);
        }
        dynamo.cancellations.add(codes);
    }

    /** Every DynamoDB request made so far: reads, single writes, transactions. */
    private int requests() {
        return dynamo.reads.size() + dynamo.writes.size() + dynamo.transactions.size();
    }

    private void keyUsedBy(String fingerprint, String outcome, String stored) {
        dynamo.put(Item.of(Keys.idempotency(ORG, "key-1"), "IDEMPOTENCY").s("status", "COMPLETED").s("fingerprint", fingerprint)
                .s("outcome", outcome).s(outcome.equals("APPLIED") ? "view" : "refusal", stored).build());
    }

    private String fingerprintOf(long amount) {
        return Idempotency.fingerprint("POST", "consumptions", ORG, TEAM, USER, json.write(new Requests.Consume(amount, null, null)));
    }

    @Test
    void anAdmittedConsumptionIsOneTransactionAndNothingElse() {
        Outcome.Applied applied = assertInstanceOf(Outcome.Applied.class, consume(10));
        assertFalse(applied.replayed());
        assertEquals(1, requests(), "no read, no claim: one TransactWriteItems");
        List<software.amazon.awssdk.services.dynamodb.model.TransactWriteItem> tx = dynamo.transactions.get(0).transactItems();
        assertEquals(applied.view(), tx.get(7).put().item().get("view").s(), "the record created with the debit answers replays");
        assertEquals("ALL", tx.get(0).update().expressionAttributeValues().get(":pk").s(), "a team without a monthly period is assumed");
    }

    @Test
    void anAdmittedHoldPlacementIsOneTransactionAndNothingElse() {
        assertInstanceOf(Outcome.Applied.class, credits.placeHold(caller, ORG, TEAM, "key-1", new Requests.PlaceHold(10L, 60L, null, null)));
        assertEquals(1, requests());
        assertEquals(8, dynamo.transactions.get(0).transactItems().size());
    }

    @Test
    void aTeamGuardRefusalIsNamedFromTheCancellationAloneAndRememberedByASecondRequest() {
        limitedTeamWithRemaining(5);
        cancelConsumption(CCF, 0);
        DomainException refusal = assertThrows(DomainException.Conflict.class, () -> consume(10));
        assertEquals("team-budget-exhausted", refusal.code());
        assertEquals(1, dynamo.transactions.size(), "a refusal is not tried again");
        assertEquals(0, dynamo.reads.size(), "the cancellation's ALL_OLD names the rule");
        assertEquals(2, requests());
        PutItemRequest remembered = (PutItemRequest) dynamo.writes.get(0);
        assertEquals("REFUSED", remembered.item().get("outcome").s());
        assertEquals(fingerprintOf(10), remembered.item().get("fingerprint").s());
        assertTrue(remembered.item().get("refusal").s().contains("\"code\":\"team-budget-exhausted\""));
        assertEquals("attribute_not_exists(PK)", remembered.conditionExpression(), "only if the key is still unused");
    }

    @Test
    void anAdministratorsRolesAreLearnedFromTheMembershipThatRefusedTheAssumptionThenAssumed() {
        CreditFakes.member(dynamo, USER, OrgRole.ADMIN); // an administrator is told the figures (a member is not: CreditSecurityTest)
        limitedTeamWithRemaining(5);
        cancelConsumption(CCF, 0, 2); // assumed a USER: the membership refuses too, and says ADMIN
        cancelConsumption(CCF, 0);
        DomainException refusal = assertThrows(DomainException.Conflict.class, () -> consume(10));
        assertEquals("team-budget-exhausted", refusal.code());
        assertEquals(5L, ((Number) refusal.extensions().get("remaining")).longValue());
        assertEquals("ALL", refusal.extensions().get("period"));
        assertEquals(2, dynamo.transactions.size());
        assertEquals("ADMIN", dynamo.transactions.get(1).transactItems().get(2).conditionCheck().expressionAttributeValues().get(":role").s());

        assertInstanceOf(Outcome.Applied.class, credits.consume(caller, ORG, TEAM, "key-2", new Requests.Consume(1L, null, null)));
        assertEquals(3, dynamo.transactions.size(), "known now: one transaction");
        assertEquals("ADMIN", dynamo.transactions.get(2).transactItems().get(2).conditionCheck().expressionAttributeValues().get(":role").s());
    }

    @Test
    void anAccountGuardRefusalIsNamedAfterTheTeamRules() {
        dynamo.put(CreditFakes.accountItem(1000, 995, 0));
        cancelConsumption(CCF, 1);
        DomainException refusal = assertThrows(DomainException.Conflict.class, () -> consume(10));
        assertEquals("organization-credits-exhausted", refusal.code());
        assertEquals(2, requests());
    }

    @Test
    void theSameRequestAgainReplaysFromTheRecordThatRefusedItsCreation() {
        keyUsedBy(fingerprintOf(10), "APPLIED", "{\"entryId\":\"e1\"}");
        cancelConsumption(CCF, 7);
        Outcome.Applied replay = assertInstanceOf(Outcome.Applied.class, consume(10));
        assertTrue(replay.replayed());
        assertEquals("{\"entryId\":\"e1\"}", replay.view());
        assertEquals(1, requests(), "the record came back with the cancellation");
    }

    @Test
    void anotherRequestUnderAUsedKeyIs422ButANonMemberLearnsNothingOfTheOrganization() {
        keyUsedBy(fingerprintOf(99), "APPLIED", "{}");
        cancelConsumption(CCF, 7);
        assertEquals("idempotency-key-reused", assertThrows(DomainException.Unprocessable.class, () -> consume(10)).code());
        assertEquals(1, requests());

        dynamo.items.remove(Keys.membership(ORG, USER).pk() + "|" + Keys.membership(ORG, USER).sk());
        cancelConsumption(CCF, 2, 7);
        assertEquals("organization-not-found", assertThrows(DomainException.NotFound.class, () -> consume(10)).code());
        assertEquals(0, dynamo.writes.size(), "nothing remembered for a caller who may not act");
    }

    @Test
    void aSuspendedMemberIsRefusedByTheMembershipConditionAndNothingIsRemembered() {
        dynamo.put(Item.of(Keys.membership(ORG, USER), "MEMBERSHIP").s("orgId", ORG).s("userId", USER).s("email", "a@example.com")
                .s("role", "USER").s("status", "SUSPENDED").map("teams", java.util.Map.of(TEAM, "MEMBER"))
                .s("joinedAt", Ids.at(NOW)).s("updatedAt", Ids.at(NOW)).n("version", 2).build());
        cancelConsumption(CCF, 2);
        assertEquals("member-suspended", assertThrows(DomainException.Forbidden.class, () -> consume(10)).code());
        assertEquals(1, requests(), "a permission refusal claims nothing");
    }

    @Test
    void aMonthlyPeriodThatEndedIsStartedOnTheRarePathThenTheConsumptionCountsInTheNewMonth() {
        dynamo.put(CreditFakes.teamItem(CreditFakes.team(new Budget(Budget.Mode.LIMITED, 100L, Budget.Period.MONTHLY), "2026-10", 40, 0, 60)));
        cancelConsumption(CCF, 0); // assumed ALL; the team says MONTHLY, still in October
        assertInstanceOf(Outcome.Applied.class, consume(10));
        assertEquals(3, dynamo.transactions.size(), "the refused guess, the rollover, the admission");
        assertEquals("#period = :monthly AND #periodKey < :new",
                dynamo.transactions.get(1).transactItems().get(0).update().conditionExpression());
        List<software.amazon.awssdk.services.dynamodb.model.TransactWriteItem> admitted = dynamo.transactions.get(2).transactItems();
        assertEquals("2026-11", admitted.get(0).update().expressionAttributeValues().get(":pk").s());
        assertEquals("2026-11", admitted.get(4).put().item().get("periodKey").s(), "the entry counts in the new period");
    }

    // ---- answers lost after the write applied (a timeout, or the SDK resending what landed)

    /** The idempotency record the transaction {@code request} carries, stored as if that transaction landed. */
    private java.util.Map<String, software.amazon.awssdk.services.dynamodb.model.AttributeValue> landed(Object request) {
        var record = ((software.amazon.awssdk.services.dynamodb.model.TransactWriteItemsRequest) request).transactItems().stream()
                .filter(a -> a.put() != null && a.put().item().get("PK").s().equals(Keys.idempotency(ORG, "key-1").pk()))
                .findFirst().orElseThrow().put().item();
        dynamo.put(record);
        return record;
    }

    @Test
    void aConsumptionThatLandedButTimedOutAnswersWhatItAppliedNotAFailure() {
        dynamo.faults.add(new FakeDynamo.Fault("transactWriteItems", true, r -> {
            landed(r);
            return software.amazon.awssdk.core.exception.ApiCallTimeoutException.create(1000);
        }));
        Outcome.Applied applied = assertInstanceOf(Outcome.Applied.class, consume(10));
        assertFalse(applied.replayed(), "its own write, not a replay");
        assertEquals(1, dynamo.transactions.size(), "never applied twice");
        assertEquals(1, dynamo.reads.size(), "the key's record says it landed");
    }

    @Test
    void aConsumptionThatTimedOutWithoutLandingIsAFailureAndTakesNoKey() {
        dynamo.faults.add(new FakeDynamo.Fault("transactWriteItems", false, r -> software.amazon.awssdk.core.exception.ApiCallTimeoutException.create(1000)));
        assertThrows(software.amazon.awssdk.core.exception.ApiCallTimeoutException.class, () -> consume(10));
        assertEquals(0, dynamo.writes.size(), "nothing to give back: the record is written only with the debit");
        assertInstanceOf(Outcome.Applied.class, consume(10), "the retry runs at once");
    }

    @Test
    void aConsumptionResentAfterItLandedIsNeverAnsweredAsARefusalOfTheBudgetItSpent() {
        // The transaction landed and took the team's last credits; its answer was lost and the SDK sent it again,
        // refused by the team's guard and by its own record: that record, this attempt's view, is the answer.
        limitedTeamWithRemaining(5);
        dynamo.faults.add(new FakeDynamo.Fault("transactWriteItems", false, r -> {
            var record = landed(r);
            var team = CreditFakes.item(dynamo, Keys.team(ORG, TEAM));
            return software.amazon.awssdk.services.dynamodb.model.TransactionCanceledException.builder().message("resent")
                    .cancellationReasons(java.util.stream.IntStream.range(0, 8).mapToObj(i -> i == 0
                            ? software.amazon.awssdk.services.dynamodb.model.CancellationReason.builder().code(CCF).item(team).build()
                            : i == 7 ? software.amazon.awssdk.services.dynamodb.model.CancellationReason.builder().code(CCF).item(record).build()
                            : software.amazon.awssdk.services.dynamodb.model.CancellationReason.builder().code("None").build()).toList()).build();
        }));
        Outcome.Applied applied = assertInstanceOf(Outcome.Applied.class, consume(10));
        assertFalse(applied.replayed());
        assertEquals(0, dynamo.writes.size(), "no refusal remembered");
    }

    @Test
    void aClaimWrittenButAnsweredLostAndSentAgainIsRecognisedByItsOwnLock() {
        // Top-ups still claim their key: the SDK resends a claim whose answer was lost, refused by the record the first one wrote.
        dynamo.faults.add(new FakeDynamo.Fault("putItem", true,
                r -> software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException.builder().message("resent")
                        .item(((PutItemRequest) r).item()).build()));
        assertInstanceOf(Idempotency.Claimed.Granted.class, idempotency.claim(ORG, "key-9", "fp"));
    }

    @Test
    void aClaimWrittenButTimedOutIsGivenBackSoThatTheRetryNeedNotWaitForTheLock() {
        dynamo.faults.add(new FakeDynamo.Fault("putItem", true, r -> software.amazon.awssdk.core.exception.ApiCallTimeoutException.create(1000)));
        assertThrows(software.amazon.awssdk.core.exception.ApiCallTimeoutException.class, () -> idempotency.claim(ORG, "key-9", "fp"));
        var givenBack = assertInstanceOf(software.amazon.awssdk.services.dynamodb.model.DeleteItemRequest.class, dynamo.writes.get(dynamo.writes.size() - 1));
        assertEquals(Keys.idempotency(ORG, "key-9").toMap(), givenBack.key());
    }

    @Test
    void contentionIsTriedAgainThenCommits() {
        cancelConsumption("TransactionConflict", 0);
        Outcome outcome = consume(10);
        Outcome.Applied applied = assertInstanceOf(Outcome.Applied.class, outcome);
        assertFalse(applied.replayed());
        assertTrue(applied.view().contains("\"kind\":\"CONSUMPTION\""));
        assertEquals(2, dynamo.transactions.size());
        assertEquals(applied.view(), dynamo.transactions.get(1).transactItems().get(7).put().item().get("view").s(),
                "the answer is what the record remembers");
    }

    @Test
    void aRefusalThatNoRuleExplainsAnyMoreIsTriedAgain() {
        cancelConsumption(CCF, 0);
        assertInstanceOf(Outcome.Applied.class, consume(10));
        assertEquals(2, dynamo.transactions.size());
    }

    @Test
    void aHoldCloseIsOneReadAndOneTransactionAndAHoldClosedMeanwhileIsRemembered() {
        Hold hold = new Hold(Ids.newId(), ORG, TEAM, USER, 40, Hold.Status.OPEN, 0, NOW.minusSeconds(60), NOW.plusSeconds(600), null, null);
        dynamo.put(CreditItems.hold(hold));
        Outcome.Applied captured = assertInstanceOf(Outcome.Applied.class,
                holds.capture(caller, ORG, TEAM, hold.holdId(), "key-2", new Requests.Capture(25L, null)));
        assertTrue(captured.view().contains("\"status\":\"CAPTURED\""));
        assertEquals(2, requests(), "one BatchGetItem, one TransactWriteItems");
        assertEquals("#status = :open AND #exp > :now", dynamo.transactions.get(0).transactItems().get(0).update().conditionExpression());
        assertEquals("attribute_not_exists(PK)", dynamo.transactions.get(0).transactItems().get(9).put().conditionExpression(),
                "the key's record, after the owner's seat (8), the membership as read (7), the usage aggregates (4, 5)");

        // A hold closed already: refused on the read, remembered under the key (no transaction).
        Hold released = new Hold(Ids.newId(), ORG, TEAM, USER, 40, Hold.Status.RELEASED, 0, NOW.minusSeconds(60), NOW.plusSeconds(600), NOW, "done");
        dynamo.put(CreditItems.hold(released));
        int before = requests();
        DomainException refusal = assertThrows(DomainException.Conflict.class,
                () -> holds.release(caller, ORG, TEAM, released.holdId(), "key-3", new Requests.Release(null)));
        assertEquals("hold-not-open", refusal.code());
        assertEquals(before + 2, requests(), "the read, then the remembered refusal");
        assertEquals(1, dynamo.transactions.size());
        PutItemRequest remembered = (PutItemRequest) dynamo.writes.get(dynamo.writes.size() - 1);
        assertTrue(remembered.item().get("refusal").s().contains("hold-not-open"));
    }

    @Test
    void theSystemReleasesOnlyExpiredHoldsWhenAskedTo() {
        Hold hold = new Hold(Ids.newId(), ORG, TEAM, USER, 40, Hold.Status.OPEN, 0, NOW.minusSeconds(60), NOW.plusSeconds(600), null, null);
        dynamo.put(CreditItems.hold(hold));
        assertFalse(holds.releaseBySystem(hold, "expired", true));
        assertEquals(0, dynamo.transactions.size(), "not expired yet: nothing written");

        Hold expired = new Hold(Ids.newId(), ORG, TEAM, USER, 40, Hold.Status.OPEN, 0, NOW.minusSeconds(600), NOW.minusSeconds(1), null, null);
        dynamo.put(CreditItems.hold(expired));
        assertTrue(holds.releaseBySystem(expired, "expired", true));
        assertEquals("#status = :open AND #exp <= :now", dynamo.transactions.get(0).transactItems().get(0).update().conditionExpression());
        assertEquals(6, dynamo.transactions.get(0).transactItems().size(), "the owner's seat (5); no idempotency key to complete");
    }

    @Test
    void aBudgetChangeOnATeamThatMovedIsMadeAgainFromAFreshRead() {
        CreditFakes.member(dynamo, "admin-1", OrgRole.ADMIN);
        dynamo.cancellations.add(List.of(CCF, "None"));
        Team team = new BudgetAssignment(CreditFakes.policy(dynamo), store, clock).assign(new Caller("admin-1", Optional.empty(), false, Optional.empty()),
                ORG, TEAM, new Budget(Budget.Mode.LIMITED, 50L, Budget.Period.NONE), Optional.empty());
        assertEquals(TEAM, team.teamId());
        assertEquals(2, dynamo.transactions.size());
    }

    @Test
    void aRememberedRefusalReplaysByteForByteAsFirstStored() {
        DomainException first = new DomainException.Conflict("team-budget-exhausted", "the team's budget has 5 credits left this period; 10 were requested")
                .with("remaining", 5L).with("limit", 100L).with("periodConsumed", 95L).with("held", 0L).with("period", "ALL");
        idempotency.remember(new Idempotency.Claim(ORG, "key-3", "lock"), first);
        UpdateItemRequest remembered = (UpdateItemRequest) dynamo.writes.get(dynamo.writes.size() - 1);
        dynamo.put(Item.of(Keys.idempotency(ORG, "key-3"), "IDEMPOTENCY").s("status", "COMPLETED").s("fingerprint", "fp")
                .s("outcome", "REFUSED").s("refusal", remembered.expressionAttributeValues().get(":refusal").s()).build());

        Outcome replay = idempotency.replay(ORG, "key-3", "fp").orElseThrow();
        ApiResponse response = new CreditsHandler(json, null, null).answer(201, replay);
        ApiResponse original = Problems.toResponse(json, first, null);
        assertEquals(409, response.statusCode());
        assertEquals(original.body(), response.body());
        assertEquals("application/problem+json", response.headers().get("content-type"));
        assertEquals("true", response.headers().get("idempotent-replayed"));

        DomainException invalid = new DomainException.InvalidInput("capture-exceeds-hold", "amount", "must not exceed the amount held (40)");
        RememberedRefusal kept = json.mapper().convertValue(json.mapper().valueToTree(RememberedRefusal.of(invalid)), RememberedRefusal.class);
        assertEquals(Problems.toResponse(json, invalid, null).body(), Problems.toResponse(json, kept.toException(), null).body());
    }

    @Test
    void anAppliedReplayAnswersTheStoredViewAndSaysSo() {
        dynamo.put(Item.of(Keys.idempotency(ORG, "key-4"), "IDEMPOTENCY").s("status", "COMPLETED").s("fingerprint", "fp")
                .s("outcome", "APPLIED").s("view", "{\"entryId\":\"e1\",\"amount\":10}").build());
        ApiResponse response = new CreditsHandler(json, null, null).answer(201, idempotency.replay(ORG, "key-4", "fp").orElseThrow());
        assertEquals(201, response.statusCode());
        assertEquals("{\"entryId\":\"e1\",\"amount\":10}", response.body());
        assertEquals("true", response.headers().get("idempotent-replayed"));
        assertEquals(Optional.empty(), idempotency.replay(ORG, "key-4", "another request"));
    }
}
