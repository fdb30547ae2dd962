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
import com.enterpriseadmin.http.Json;
import com.enterpriseadmin.store.Ids;
import com.enterpriseadmin.store.Item;
import com.enterpriseadmin.store.Keys;
import com.enterpriseadmin.support.FakeDynamo;
import com.enterpriseadmin.team.Budget;
import com.enterpriseadmin.team.Team;
import java.time.Clock;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItem;
import software.amazon.awssdk.services.dynamodb.model.Update;

/**
 * Refunds, top-up reversals, budget transfers and budget-request approvals: the conditions that bound them (an entry is
 * never given back beyond its amount, available never below zero, a source team never below what it consumed and
 * holds, an approval raises once at the version asked for), and how a refused condition is answered.
 */
class CreditCorrectionsTest {
    private static final String CCF = "ConditionalCheckFailed";
    private static final String ADMIN = "admin-1";
    private static final String OTHER_TEAM = Ids.newId();

    private final FakeDynamo dynamo = new FakeDynamo();
    private final Json json = new Json();
    private final AuditStore audit = new AuditStore(dynamo.db, json);
    private final CreditStore store = new CreditStore(dynamo.db, audit);
    private final Clock clock = Clock.fixed(NOW, ZoneOffset.UTC);
    private final Idempotency idempotency = new Idempotency(dynamo.db, json, clock);
    private final Refunds refunds = new Refunds(CreditFakes.policy(dynamo), store, idempotency, audit, json, clock);
    private final BudgetStore budgets = new BudgetStore(dynamo.db, audit);
    private final BudgetMoves moves = new BudgetMoves(CreditFakes.policy(dynamo), store, budgets, idempotency, audit, json, clock);
    private final LedgerEntry consumption = LedgerEntry.consumption(Ids.newId(), NOW.minusSeconds(60), TEAM, USER, "ALL", 50, "job-1", null);

    @BeforeEach
    void organization() {
        CreditFakes.member(dynamo, ADMIN, OrgRole.ADMIN);
        CreditFakes.member(dynamo, USER, OrgRole.USER);
        dynamo.put(CreditFakes.teamItem(CreditFakes.team(new Budget(Budget.Mode.LIMITED, 100L, Budget.Period.NONE), "ALL", 50, 10, 40)));
        dynamo.put(CreditFakes.accountItem(1000, 50, 10));
        dynamo.queryAnswers = q -> q.expressionAttributeValues().get(":pk").s().equals(Keys.ledgerEntryIndex(ORG, consumption.entryId()))
                ? List.of(CreditItems.ledger(ORG, consumption)) : List.of();
    }

    private static Caller caller(String userId) {
        return new Caller(userId, Optional.empty(), false, Optional.empty());
    }

    private List<TransactWriteItem> sent(int i) {
        return dynamo.transactions.get(i).transactItems();
    }

    @Test
    void aRefundIsBoundedByTheEntrysAmountOnItsOwnCounterAndGivesBackToTheAccountAndTheTeamsPeriod() {
        Outcome outcome = refunds.refund(caller(ADMIN), ORG, "k-1", new Requests.Refund(consumption.entryId(), 20L, "failed render"));
        assertInstanceOf(Outcome.Applied.class, outcome);
        List<TransactWriteItem> tx = sent(0);
        Update counter = tx.get(0).update();
        assertEquals(Keys.refunded(ORG, consumption.entryId()).sk(), counter.key().get(Keys.SK).s());
        assertEquals("attribute_not_exists(#refunded) OR #refunded <= :max", counter.conditionExpression());
        assertEquals("30", counter.expressionAttributeValues().get(":max").n(), "50 − 20: the sum of refunds never above the entry");
        Update account = tx.get(1).update();
        assertTrue(account.updateExpression().contains("#available = if_not_exists(#available, :zero) + :delta"), account.updateExpression());
        assertEquals("20", account.expressionAttributeValues().get(":delta").n());
        assertTrue(account.updateExpression().contains("#consumed = #consumed - :n"));
        Update team = tx.get(2).update();
        assertEquals("#periodKey = :pk", team.conditionExpression());
        assertTrue(team.updateExpression().contains("#pc = #pc - :n") && team.updateExpression().contains("#rem = #rem + :n"),
                "the original counts in the team's current period: remaining grows back: " + team.updateExpression());
        Map<String, AttributeValue> entry = tx.get(3).put().item();
        assertEquals("REFUND", entry.get("kind").s());
        assertEquals(consumption.entryId(), entry.get("reference").s(), "the REFUND points at the original");
        assertEquals(ADMIN, entry.get("actor").s());
        assertEquals(USER, entry.get("userId").s(), "attributed to the original's member");
        assertEquals("-20", entry.get("teamConsumedDelta").n());
        Update day = tx.get(4).update();
        assertEquals("-20", day.expressionAttributeValues().get(":consumed").n(), "usage nets the refund off");
        assertEquals("0", day.expressionAttributeValues().get(":consumptions").n(), "a refund is no consumption");
        Update memberSeat = tx.get(6).update();
        assertEquals("attribute_exists(#pk) AND #mpk = :pk AND (attribute_not_exists(#added) OR #added <= :at)", memberSeat.conditionExpression(),
                "the member's cap counts it back in the period, on the seat that counted it (not one added again since)");
        assertEquals(com.enterpriseadmin.store.Ids.at(consumption.at()), memberSeat.expressionAttributeValues().get(":at").s());
        assertTrue(memberSeat.updateExpression().contains("#mrem = if_not_exists(#mrem, :zero) + :n"));
        assertEquals(9, tx.size(), "counter, account, team, ledger, day, month, the member's seat, idempotency completion, audit");
    }

    @Test
    void aRefundOfAnEntryOfAnEarlierPeriodLeavesTheCurrentPeriodAlone() {
        dynamo.put(CreditFakes.teamItem(CreditFakes.team(new Budget(Budget.Mode.LIMITED, 100L, Budget.Period.MONTHLY), "2026-11", 0, 0, 100)));
        LedgerEntry old = LedgerEntry.consumption(consumption.entryId(), NOW.minusSeconds(40 * 86_400), TEAM, USER, "2026-10", 50, null, null);
        dynamo.queryAnswers = q -> List.of(CreditItems.ledger(ORG, old));
        refunds.refund(caller(ADMIN), ORG, "k-1", new Requests.Refund(old.entryId(), null, "duplicate job"));
        Update team = sent(0).get(2).update();
        assertFalse(team.updateExpression().contains("#pc"), team.updateExpression());
        assertFalse(team.updateExpression().contains("#rem"), team.updateExpression());
        assertEquals("2026-11", team.expressionAttributeValues().get(":pk").s(), "conditioned on the period as read");
        assertEquals("50", sent(0).get(1).update().expressionAttributeValues().get(":delta").n(), "no amount: all that is left");
    }

    @Test
    void aRefundBeyondWhatIsLeftIsRefusedWithTheRefundableAmountAndARefundOfAnEntryThatIsNotASpendIsRefused() {
        dynamo.put(Item.of(Keys.refunded(ORG, consumption.entryId()), "REFUNDED").n("refunded", 45).n("amount", 50).build());
        DomainException over = assertThrows(DomainException.Conflict.class,
                () -> refunds.refund(caller(ADMIN), ORG, "k-1", new Requests.Refund(consumption.entryId(), 10L, "x")));
        assertEquals("refund-exceeds-entry", over.code());
        assertEquals(5L, ((Number) over.extensions().get("refundable")).longValue());
        assertTrue(dynamo.transactions.isEmpty(), "decided on the read; a concurrent refund is refused by the condition (below)");

        // The read said 0 were refunded; a concurrent refund took 45 meanwhile: the counter's condition refuses.
        dynamo.items.remove(Keys.refunded(ORG, consumption.entryId()).pk() + "|" + Keys.refunded(ORG, consumption.entryId()).sk());
        dynamo.beforeTransactions.add(() -> dynamo.put(Item.of(Keys.refunded(ORG, consumption.entryId()), "REFUNDED").n("refunded", 45).n("amount", 50).build()));
        dynamo.cancellations.add(codes(8, 0));
        DomainException raced = assertThrows(DomainException.Conflict.class,
                () -> refunds.refund(caller(ADMIN), ORG, "k-2", new Requests.Refund(consumption.entryId(), 10L, "x")));
        assertEquals("refund-exceeds-entry", raced.code());
        assertEquals(45L, ((Number) raced.extensions().get("refunded")).longValue());

        LedgerEntry topUp = LedgerEntry.topUp(consumption.entryId(), NOW, ADMIN, 100, LedgerEntry.TopUpSource.PURCHASE, null, null);
        dynamo.queryAnswers = q -> q.expressionAttributeValues().get(":pk").s().equals(Keys.ledgerEntryIndex(ORG, topUp.entryId()))
                ? List.of(CreditItems.ledger(ORG, topUp)) : List.of();
        assertEquals("entry-not-refundable", assertThrows(DomainException.Conflict.class,
                () -> refunds.refund(caller(ADMIN), ORG, "k-3", new Requests.Refund(topUp.entryId(), 10L, "x"))).code());
        assertEquals("ledger-entry-not-found", assertThrows(DomainException.NotFound.class,
                () -> refunds.refund(caller(ADMIN), ORG, "k-4", new Requests.Refund(Ids.newId(), 10L, "x"))).code());
        assertEquals(403, assertThrows(DomainException.class,
                () -> refunds.refund(caller(USER), ORG, "k-5", new Requests.Refund(consumption.entryId(), 1L, "x"))).status());
    }

    @Test
    void aTopUpReversalNeverTakesAvailableBelowZero() {
        LedgerEntry topUp = LedgerEntry.topUp(Ids.newId(), NOW, ADMIN, 500, LedgerEntry.TopUpSource.PURCHASE, "PO-1", null);
        dynamo.queryAnswers = q -> List.of(CreditItems.ledger(ORG, topUp));
        refunds.reverseTopUp(caller(ADMIN), ORG, topUp.entryId(), "k-1", new Requests.Reversal(300L, "typo: 500 for 200"));
        Update account = sent(0).get(1).update();
        assertEquals("#available >= :need", account.conditionExpression(), "lane 0 (the account item) holds it: CreditStore.addAvailable");
        assertEquals("300", account.expressionAttributeValues().get(":need").n());
        assertTrue(account.updateExpression().contains("#purchased = #purchased - :n"));
        Map<String, AttributeValue> entry = sent(0).get(2).put().item();
        assertEquals("ADJUSTMENT", entry.get("kind").s());
        assertEquals("-300", entry.get("purchasedDelta").n());
        assertEquals(topUp.entryId(), entry.get("reference").s());

        dynamo.put(CreditFakes.accountItem(1000, 850, 0)); // 150 available: a reversal of 200 is refused, not retried
        dynamo.cancellations.add(codes(5, 1));
        DomainException refused = assertThrows(DomainException.Conflict.class,
                () -> refunds.reverseTopUp(caller(ADMIN), ORG, topUp.entryId(), "k-2", new Requests.Reversal(200L, "again")));
        assertEquals("reversal-exceeds-available", refused.code());
        assertEquals(150L, ((Number) refused.extensions().get("available")).longValue());
        assertEquals("entry-not-a-top-up", assertThrows(DomainException.Conflict.class, () -> {
            dynamo.queryAnswers = q -> List.of(CreditItems.ledger(ORG, consumption));
            refunds.reverseTopUp(caller(ADMIN), ORG, consumption.entryId(), "k-3", new Requests.Reversal(1L, "x"));
        }).code());
    }

    @Test
    void aTransferLowersTheSourceOnlyIfItsRemainingCoversItAndRaisesTheTargetInTheSameTransaction() {
        Team target = new Team(ORG, OTHER_TEAM, "Design", Team.Status.ACTIVE, new Budget(Budget.Mode.LIMITED, 10L, Budget.Period.NONE), "ALL",
                0, 0, 0, 0, 10, 0, 3, NOW, null);
        dynamo.put(CreditFakes.teamItem(target));
        assertInstanceOf(Outcome.Applied.class, moves.transfer(caller(ADMIN), ORG, "k-1", new Requests.Transfer(TEAM, OTHER_TEAM, 30L)));
        List<TransactWriteItem> tx = sent(0);
        Update from = tx.get(0).update();
        assertEquals("attribute_exists(#pk) AND #status = :active AND #mode = :limited AND #rem >= :n", from.conditionExpression());
        assertEquals("-30", from.expressionAttributeValues().get(":delta").n());
        assertTrue(from.updateExpression().contains("#limit = #limit + :delta") && from.updateExpression().contains("#rem = #rem + :delta"));
        Update to = tx.get(1).update();
        assertEquals("30", to.expressionAttributeValues().get(":delta").n());
        assertTrue(to.key().get(Keys.SK).s().endsWith(OTHER_TEAM));

        // A consumption landed meanwhile: the source's remaining (as the condition saw it) is short.
        dynamo.put(CreditFakes.teamItem(CreditFakes.team(new Budget(Budget.Mode.LIMITED, 100L, Budget.Period.NONE), "ALL", 85, 10, 5)));
        dynamo.cancellations.add(codes(4, 0));
        DomainException refused = assertThrows(DomainException.Conflict.class,
                () -> moves.transfer(caller(ADMIN), ORG, "k-2", new Requests.Transfer(TEAM, OTHER_TEAM, 30L)));
        assertEquals("transfer-exceeds-remaining", refused.code());
        assertEquals(5L, ((Number) refused.extensions().get("remaining")).longValue());
        assertEquals("team-not-found", assertThrows(DomainException.NotFound.class,
                () -> moves.transfer(caller(ADMIN), ORG, "k-3", new Requests.Transfer(TEAM, Ids.newId(), 1L))).code());
        assertEquals("same-team", assertThrows(DomainException.Unprocessable.class, () -> new Requests.Transfer(TEAM, TEAM, 1L)).code());
    }

    @Test
    void anApprovalRaisesTheLimitAtTheVersionTheRequestWasMadeAgainstAndOnlyOnce() {
        BudgetMoves.RequestView request = moves.request(caller(ADMIN), ORG, TEAM, new BudgetMoves.RequestBody(200L, "launch week"));
        assertEquals("PENDING", request.status());
        assertEquals(7, request.teamVersion());
        dynamo.put(sent(0).get(0).put().item()); // the fake records transactions without applying them
        dynamo.transactions.clear();

        moves.approve(caller(ADMIN), ORG, request.requestId(), new BudgetMoves.DecisionBody(null, "ok"));
        List<TransactWriteItem> tx = sent(0);
        assertEquals("#status = :pending", tx.get(0).update().conditionExpression(), "approving twice raises once");
        Update team = tx.get(1).update();
        assertTrue(team.conditionExpression().endsWith("(#version = :v)"), team.conditionExpression());
        assertEquals("7", team.expressionAttributeValues().get(":v").n());
        assertEquals("200", team.expressionAttributeValues().get(":delta").n());

        // The team's budget changed since the request: refused by the version, 412 unless approved at the current one.
        BudgetMoves.RequestView second = moves.request(caller(ADMIN), ORG, TEAM, new BudgetMoves.RequestBody(50L, "more"));
        dynamo.put(sent(1).get(0).put().item());
        dynamo.put(CreditFakes.teamItem(new Team(ORG, TEAM, "Research", Team.Status.ACTIVE, new Budget(Budget.Mode.LIMITED, 300L, Budget.Period.NONE),
                "ALL", 50, 0, 50, 10, 240, 1, 8, NOW, null)));
        dynamo.cancellations.add(codes(3, 1));
        DomainException mismatch = assertThrows(DomainException.PreconditionFailed.class,
                () -> moves.approve(caller(ADMIN), ORG, second.requestId(), new BudgetMoves.DecisionBody(null, null)));
        assertEquals("version-mismatch", mismatch.code());
        assertEquals(8L, ((Number) mismatch.extensions().get("currentVersion")).longValue());
        dynamo.transactions.clear();
        moves.approve(caller(ADMIN), ORG, second.requestId(), new BudgetMoves.DecisionBody(true, null));
        assertEquals("8", sent(0).get(1).update().expressionAttributeValues().get(":v").n(), "explicitly at the current version");

        // A member who is no team ADMIN may not ask.
        assertEquals(403, assertThrows(DomainException.class,
                () -> moves.request(caller(USER), ORG, TEAM, new BudgetMoves.RequestBody(1L, "please"))).status());
    }

    /** {@code n} cancellation codes, ConditionalCheckFailed at {@code refused}, None elsewhere. */
    private static List<String> codes(int n, int... refused) {
        List<String> codes = new ArrayList<>(Collections.nCopies(n, "None"));
        for (int i : refused) {
            codes.set(i, CCF);
        }
        return codes;
    }

    @Test
    void withEscrowLanesAReversalThatLaneZeroCannotCoverGathersTheLanesThenApplies() {
        LedgerEntry topUp = LedgerEntry.topUp(Ids.newId(), NOW, ADMIN, 500, LedgerEntry.TopUpSource.PURCHASE, "PO-1", null);
        dynamo.queryAnswers = q -> List.of(CreditItems.ledger(ORG, topUp));
        // Two lanes: 100 on lane 0 (the account item), 500 on lane 1; the reversal of 300 needs them gathered.
        Map<String, AttributeValue> lane0 = new java.util.HashMap<>(CreditFakes.accountItem(1000, 400, 0));
        lane0.put("available", CreditFakes.n(100));
        lane0.put("lanes", CreditFakes.n(2));
        lane0.put("laneItems", CreditFakes.n(2));
        dynamo.put(lane0);
        dynamo.put(com.enterpriseadmin.store.Item.of(Keys.accountLane(ORG, 1), "ACCOUNT_LANE").n("lane", 1).n("available", 500)
                .n("consumed", 0).n("held", 0).n("moved", 0).n("seq", 2).build());
        dynamo.cancellations.add(codes(5, 1)); // the first attempt: lane 0 short
        assertInstanceOf(Outcome.Applied.class,
                refunds.reverseTopUp(caller(ADMIN), ORG, topUp.entryId(), "k-1", new Requests.Reversal(300L, "typo")));
        List<TransactWriteItem> rebalance = sent(1);
        assertTrue(rebalance.stream().anyMatch(a -> a.update() != null && a.update().key().get(Keys.PK).s().endsWith("#LANE#1")),
                "the lanes were gathered into lane 0 between the two attempts: " + rebalance);
        assertEquals("#available >= :need", sent(2).get(1).update().conditionExpression(), "then the reversal again, on lane 0");
    }
}
