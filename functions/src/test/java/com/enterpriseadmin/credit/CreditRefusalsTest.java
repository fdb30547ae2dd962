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
import java.util.HashMap;
import java.util.Map;
import software.amazon.awssdk.core.exception.ApiCallTimeoutException;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.DeleteItemRequest;
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

    /** One cancellation of a consumption: the code of each of its 6 actions, {@code CCF} at {@code failed}. */
    private void cancelConsumption(String code, int failed) {
        // team, account, membership, seat, ledger, usage per day, usage per month, idempotency completion
        List<String> codes = new java.util.ArrayList<>(Collections.nCopies(8, "None"));
        codes.set(failed, code);
        dynamo.cancellations.add(codes);
    }

    @Test
    void aTeamGuardRefusalIsNamedFromAFreshReadOfTheTeamAndRemembered() {
        CreditFakes.member(dynamo, USER, OrgRole.ADMIN); // an administrator is told the figures (a member is not: CreditSecurityTest)
        limitedTeamWithRemaining(5);
        cancelConsumption(CCF, 0);
        DomainException refusal = assertThrows(DomainException.Conflict.class, () -> consume(10));
        assertEquals("team-budget-exhausted", refusal.code());
        assertEquals(5L, ((Number) refusal.extensions().get("remaining")).longValue());
        assertEquals("ALL", refusal.extensions().get("period"));
        assertEquals(1, dynamo.transactions.size(), "a refusal is not tried again");
        UpdateItemRequest remembered = (UpdateItemRequest) dynamo.writes.get(dynamo.writes.size() - 1);
        assertEquals("REFUSED", remembered.expressionAttributeValues().get(":outcome").s());
        assertTrue(remembered.expressionAttributeValues().get(":refusal").s().contains("\"code\":\"team-budget-exhausted\""));
        assertEquals("#status = :inProgress AND lockId = :lock", remembered.conditionExpression());
    }

    @Test
    void anAccountGuardRefusalIsNamedAfterTheTeamRules() {
        CreditFakes.member(dynamo, USER, OrgRole.ADMIN); // an administrator is told the figures (a member is not: CreditSecurityTest)
        dynamo.put(CreditFakes.accountItem(1000, 995, 0));
        cancelConsumption(CCF, 1);
        DomainException refusal = assertThrows(DomainException.Conflict.class, () -> consume(10));
        assertEquals("organization-credits-exhausted", refusal.code());
        assertEquals(5L, ((Number) refusal.extensions().get("available")).longValue());
    }

    @Test
    void aLostIdempotencyCompletionIsAnotherAttemptInFlightAndGivesTheKeyBack() {
        cancelConsumption(CCF, 7);
        DomainException refusal = assertThrows(DomainException.Conflict.class, () -> consume(10));
        assertEquals("idempotency-request-in-flight", refusal.code());
        assertInstanceOf(DeleteItemRequest.class, dynamo.writes.get(dynamo.writes.size() - 1), "not remembered: the key is given back");
    }

    // ---- answers lost after the write applied (a timeout, or the SDK resending what landed)

    /** The idempotency record as the consumption's transaction completed it: APPLIED with the view it sent. */
    private java.util.function.Function<Object, RuntimeException> refusedByTheCompletedRecord() {
        return request -> {
            Map<String, AttributeValue> key = Keys.idempotency(ORG, "key-1").toMap();
            Map<String, AttributeValue> record = new HashMap<>(dynamo.items.get(key.get(Keys.PK).s() + "|" + key.get(Keys.SK).s()));
            record.remove("lockId");
            record.put("status", AttributeValue.fromS("COMPLETED"));
            record.put("outcome", AttributeValue.fromS("APPLIED"));
            record.put("view", sentView());
            return ConditionalCheckFailedException.builder().message("the record is COMPLETED").item(record).build();
        };
    }

    /** The view the (first) consumption transaction wrote into the idempotency record. */
    private AttributeValue sentView() {
        return dynamo.transactions.get(0).transactItems().stream().filter(a -> a.update() != null && a.update().hasExpressionAttributeValues())
                .map(a -> a.update().expressionAttributeValues().get(":view")).filter(java.util.Objects::nonNull).findFirst().orElseThrow();
    }

    @Test
    void aClaimWrittenButAnsweredLostAndSentAgainIsRecognisedByItsOwnLock() {
        // The SDK resends a claim whose answer was lost: the resent put is refused by the record the first one wrote.
        dynamo.faults.add(new FakeDynamo.Fault("putItem", true,
                r -> ConditionalCheckFailedException.builder().message("resent").item(((PutItemRequest) r).item()).build()));
        Outcome.Applied applied = assertInstanceOf(Outcome.Applied.class, consume(10));
        assertFalse(applied.replayed());
        assertEquals(1, dynamo.transactions.size());
    }

    @Test
    void aClaimWrittenButTimedOutIsGivenBackSoThatTheRetryNeedNotWaitForTheLock() {
        dynamo.faults.add(new FakeDynamo.Fault("putItem", true, r -> ApiCallTimeoutException.create(1000)));
        assertThrows(ApiCallTimeoutException.class, () -> consume(10));
        DeleteItemRequest givenBack = assertInstanceOf(DeleteItemRequest.class, dynamo.writes.get(dynamo.writes.size() - 1));
        assertEquals(Keys.idempotency(ORG, "key-1").toMap(), givenBack.key());
        assertEquals("#status = :inProgress AND lockId = :lock", givenBack.conditionExpression());
        assertEquals(0, dynamo.transactions.size());
        assertInstanceOf(Outcome.Applied.class, consume(10), "the retry claims the key at once");
    }

    @Test
    void aConsumptionThatLandedButTimedOutAnswersWhatItAppliedNotAFailure() {
        dynamo.faults.add(new FakeDynamo.Fault("transactWriteItems", true, r -> ApiCallTimeoutException.create(1000)));
        // Giving the key back is refused: the transaction completed the record.
        dynamo.faults.add(new FakeDynamo.Fault("deleteItem", false, refusedByTheCompletedRecord()));
        Outcome.Applied applied = assertInstanceOf(Outcome.Applied.class, consume(10));
        assertEquals(sentView().s(), applied.view());
        assertEquals(1, dynamo.transactions.size(), "never applied twice");
    }

    @Test
    void aConsumptionResentAfterItLandedIsNeverAnsweredAsARefusalOfTheBudgetItSpent() {
        // The transaction landed and took the team's last credits; its answer was lost and the SDK sent it again,
        // refused by the team's guard and by its own completion. A fresh read now says "budget exhausted"...
        limitedTeamWithRemaining(5);
        dynamo.cancellations.add(List.of(CCF, "None", "None", "None", CCF, CCF));
        // ... but the record the refusal would be remembered in is COMPLETED: the debit is what the key holds.
        dynamo.faults.add(new FakeDynamo.Fault("updateItem", false, refusedByTheCompletedRecord()));
        Outcome.Applied applied = assertInstanceOf(Outcome.Applied.class, consume(10));
        assertEquals(sentView().s(), applied.view());
    }

    @Test
    void contentionIsTriedAgainThenCommits() {
        cancelConsumption("TransactionConflict", 0);
        Outcome outcome = consume(10);
        Outcome.Applied applied = assertInstanceOf(Outcome.Applied.class, outcome);
        assertFalse(applied.replayed());
        assertTrue(applied.view().contains("\"kind\":\"CONSUMPTION\""));
        assertEquals(2, dynamo.transactions.size());
        assertEquals(applied.view(), dynamo.transactions.get(1).transactItems().get(7).update().expressionAttributeValues().get(":view").s(),
                "the answer is what the record remembers");
    }

    @Test
    void aRefusalThatNoRuleExplainsAnyMoreIsTriedAgain() {
        cancelConsumption(CCF, 0);
        assertInstanceOf(Outcome.Applied.class, consume(10));
        assertEquals(2, dynamo.transactions.size());
    }

    @Test
    void aHoldCaptureWhoseCompletionIsLostIsInFlight() {
        Hold hold = new Hold(Ids.newId(), ORG, TEAM, USER, 40, Hold.Status.OPEN, 0, NOW.minusSeconds(60), NOW.plusSeconds(600), null, null);
        dynamo.put(CreditItems.hold(hold));
        dynamo.cancellations.add(List.of("None", "None", "None", "None", "None", "None", "None", CCF));
        DomainException refusal = assertThrows(DomainException.Conflict.class,
                () -> holds.capture(caller, ORG, TEAM, hold.holdId(), "key-2", new Requests.Capture(25L, null)));
        assertEquals("idempotency-request-in-flight", refusal.code());
        assertEquals("#status = :open AND #exp > :now", dynamo.transactions.get(0).transactItems().get(0).update().conditionExpression());
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
        assertEquals(5, dynamo.transactions.get(0).transactItems().size(), "no idempotency key to complete");
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
