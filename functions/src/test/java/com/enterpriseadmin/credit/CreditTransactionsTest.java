package com.enterpriseadmin.credit;

import static com.enterpriseadmin.credit.CreditFakes.NOW;
import static com.enterpriseadmin.credit.CreditFakes.ORG;
import static com.enterpriseadmin.credit.CreditFakes.TEAM;
import static com.enterpriseadmin.credit.CreditFakes.USER;
import static com.enterpriseadmin.credit.CreditFakes.n;
import static com.enterpriseadmin.credit.CreditFakes.s;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.enterpriseadmin.audit.AuditEntry;
import com.enterpriseadmin.audit.AuditStore;
import com.enterpriseadmin.auth.OrgRole;
import com.enterpriseadmin.auth.TeamRole;
import com.enterpriseadmin.http.Json;
import com.enterpriseadmin.store.Ids;
import com.enterpriseadmin.store.Key;
import com.enterpriseadmin.store.Keys;
import com.enterpriseadmin.support.FakeDynamo;
import com.enterpriseadmin.team.Budget;
import com.enterpriseadmin.team.Team;
import java.time.Clock;
import java.time.Duration;
import java.time.ZoneOffset;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ConditionCheck;
import software.amazon.awssdk.services.dynamodb.model.Put;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItem;
import software.amazon.awssdk.services.dynamodb.model.Update;

/**
 * The exact shape of every credit transaction: actions in order, keys, update and condition
 * expressions, names and values. The conditions ARE the admission rules (docs/credits.md), so
 * dropping or loosening one must fail here, not only under load in the ITs.
 */
class CreditTransactionsTest {
    private static final Budget LIMITED = new Budget(Budget.Mode.LIMITED, 100L, Budget.Period.NONE);
    private static final String TEAM_GUARD = "attribute_exists(#pk) AND #status = :active AND #periodKey = :pk AND (#mode = :shared OR #rem >= :n)";
    /** The account guard of an organization with one lane: the credits, and the number of lanes assumed (absent = 1). */
    private static final String ONE_LANE_GUARD = "#available >= :n AND (attribute_not_exists(#lanes) OR #lanes = :lanes)";
    /** The seat: it exists, its member counters are of the period assumed, a capped member has n left. */
    private static final String SEAT_GUARD = "attribute_exists(#pk) AND (attribute_not_exists(#mpk) OR #mpk = :pk) "
            + "AND (attribute_not_exists(#mcap) OR #mrem >= :n)";
    private static final Map<String, String> SEAT_NAMES = Map.of("#pk", "PK", "#mpk", "memberPeriodKey", "#mused", "memberUsed",
            "#mrem", "memberRemaining", "#mcap", "memberCap");
    private static final String COMPLETION_UPDATE = "SET #status = :completed, #outcome = :outcome, #view = :view REMOVE lockId, lockExpiresAtMs";
    private static final String COMPLETION_CONDITION = "#status = :inProgress AND lockId = :lock";

    private final FakeDynamo dynamo = new FakeDynamo();
    private final Json json = new Json();
    private final AuditStore audit = new AuditStore(dynamo.db, json);
    private final CreditStore store = new CreditStore(dynamo.db, audit);
    private final Idempotency idempotency = new Idempotency(dynamo.db, json, Clock.fixed(NOW, ZoneOffset.UTC));
    private final Idempotency.Claim claim = new Idempotency.Claim(ORG, "key-1", "lock-1");
    private final Team team = CreditFakes.team(LIMITED, "ALL", 20, 10, 70);

    private final CreditStore.Seat seat = new CreditStore.Seat(ORG, TEAM, USER, OrgRole.USER, TeamRole.MEMBER, "ALL");

    private CreditStore.Rider completion(String view) {
        return tx -> Optional.of(idempotency.complete(tx, claim, view));
    }

    /** The idempotency record of an operation that is one transaction: created with its view, only if the key is new. */
    private CreditStore.Rider record(String view) {
        return tx -> Optional.of(idempotency.record(tx, ORG, "key-1", "fp-1", view));
    }

    private static final String MEMBERSHIP_AS_ASSUMED = "#status = :active AND #role = :role AND #teams.#team = :teamRole";
    private static final Map<String, String> MEMBERSHIP_NAMES = Map.of("#status", "status", "#role", "role", "#teams", "teams", "#team", TEAM);
    private static final Map<String, AttributeValue> MEMBER_ROLES = Map.of(":active", s("ACTIVE"), ":role", s("USER"), ":teamRole", s("MEMBER"));

    private List<TransactWriteItem> sent() {
        assertEquals(1, dynamo.transactions.size());
        return dynamo.transactions.get(0).transactItems();
    }

    @Test
    void consumptionGuardsTheTeamTheAccountAndBothMembershipsInOneTransaction() {
        LedgerEntry entry = LedgerEntry.consumption("e1", NOW, TEAM, USER, "ALL", 15, "job-1", "render");
        assertTrue(store.consume(seat, entry, record("{\"entryId\":\"e1\"}")).committed());
        List<TransactWriteItem> tx = sent();
        assertEquals(8, tx.size());
        assertUpdate(tx.get(0).update(), Keys.team(ORG, TEAM),
                "SET #pc = #pc + :n, #ct = #ct + :n, #rem = #rem - :n, #seq = #seq + :one", TEAM_GUARD,
                Map.of("#pk", "PK", "#status", "status", "#periodKey", "periodKey", "#mode", "budgetMode", "#rem", "remaining",
                        "#pc", "periodConsumed", "#ct", "consumedTotal", "#seq", "seq"),
                Map.of(":n", n(15), ":one", n(1), ":active", s("ACTIVE"), ":pk", s("ALL"), ":shared", s("SHARED_POOL")));
        assertUpdate(tx.get(1).update(), Keys.account(ORG),
                "SET #available = #available - :n, #consumed = #consumed + :n, #seq = #seq + :one", ONE_LANE_GUARD,
                Map.of("#available", "available", "#consumed", "consumed", "#seq", "seq", "#lanes", "lanes"), Map.of(":n", n(15), ":one", n(1), ":lanes", n(1)));
        assertCheck(tx.get(2).conditionCheck(), Keys.membership(ORG, USER), MEMBERSHIP_AS_ASSUMED, MEMBERSHIP_NAMES, MEMBER_ROLES);
        assertUpdate(tx.get(3).update(), Keys.teamMember(ORG, TEAM, USER),
                "SET #mpk = :pk, #mused = if_not_exists(#mused, :zero) + :n, #mrem = if_not_exists(#mrem, :zero) - :n", SEAT_GUARD, SEAT_NAMES,
                Map.of(":pk", s("ALL"), ":zero", n(0), ":n", n(15)));
        Map<String, AttributeValue> ledger = assertCreated(tx.get(4).put());
        assertEquals("CONSUMPTION", ledger.get("kind").s());
        assertEquals(Keys.ledger(ORG), ledger.get("PK").s());
        assertEquals(Keys.teamLedgerIndex(ORG, TEAM), ledger.get("GSI1PK").s());
        assertDeltas(ledger, 0, 15, 0, 15, 0);
        assertEquals("ALL", ledger.get("periodKey").s());
        assertUsage(tx.get(5).update(), UsageAggregates.Grain.DAY, "2026-11-28", USER, 15, 1, null);
        assertUsage(tx.get(6).update(), UsageAggregates.Grain.MONTH, "2026-11", USER, 15, 1, null);
        assertRecord(tx.get(7).put(), "{\"entryId\":\"e1\"}");
    }

    @Test
    void holdPlacementAlsoBumpsTheTeamSeatAndCreatesTheHold() {
        Hold hold = new Hold(Ids.newId(), ORG, TEAM, USER, 40, Hold.Status.OPEN, 0, NOW, NOW.plusSeconds(600), null, null);
        LedgerEntry entry = LedgerEntry.holdPlaced("e2", NOW, hold, "ALL", null, null);
        assertTrue(store.placeHold(seat, hold, entry, 10, record("{}")).committed());
        List<TransactWriteItem> tx = sent();
        assertEquals(8, tx.size());
        assertUpdate(tx.get(0).update(), Keys.team(ORG, TEAM), "SET #held = #held + :n, #rem = #rem - :n, #seq = #seq + :one", TEAM_GUARD,
                Map.of("#pk", "PK", "#status", "status", "#periodKey", "periodKey", "#mode", "budgetMode", "#rem", "remaining", "#held", "held",
                        "#seq", "seq"),
                Map.of(":n", n(40), ":one", n(1), ":active", s("ACTIVE"), ":pk", s("ALL"), ":shared", s("SHARED_POOL")));
        assertUpdate(tx.get(1).update(), Keys.account(ORG),
                "SET #available = #available - :n, #held = #held + :n, #seq = #seq + :one", ONE_LANE_GUARD,
                Map.of("#available", "available", "#held", "held", "#seq", "seq", "#lanes", "lanes"), Map.of(":n", n(40), ":one", n(1), ":lanes", n(1)));
        assertCheck(tx.get(2).conditionCheck(), Keys.membership(ORG, USER), MEMBERSHIP_AS_ASSUMED, MEMBERSHIP_NAMES, MEMBER_ROLES);
        Map<String, String> seatNames = new java.util.HashMap<>(SEAT_NAMES);
        seatNames.put("#version", "version");
        seatNames.put("#mheld", "memberHeld");
        assertUpdate(tx.get(3).update(), Keys.teamMember(ORG, TEAM, USER),
                "SET #mpk = :pk, #mused = if_not_exists(#mused, :zero) + :n, #mrem = if_not_exists(#mrem, :zero) - :n, "
                        + "#version = if_not_exists(#version, :zero) + :one, #mheld = if_not_exists(#mheld, :zero) + :n",
                SEAT_GUARD, seatNames, Map.of(":pk", s("ALL"), ":zero", n(0), ":n", n(40), ":one", n(1)));
        Map<String, AttributeValue> held = assertCreated(tx.get(4).put());
        assertEquals(Keys.hold(ORG, hold.holdId()).sk(), held.get("SK").s());
        assertEquals("OPEN", held.get("status").s());
        assertEquals(n(40), held.get("amount"));
        assertEquals(n(NOW.plusSeconds(600).toEpochMilli()), held.get("expiresAtMs"));
        Map<String, AttributeValue> ledger = assertCreated(tx.get(5).put());
        assertEquals("HOLD_PLACED", ledger.get("kind").s());
        assertEquals(hold.holdId(), ledger.get("holdId").s());
        assertDeltas(ledger, 0, 0, 40, 0, 40);
        assertUpdate(tx.get(6).update(), Keys.openHolds(ORG, USER), "SET #count = if_not_exists(#count, :zero) + :one, #type = :type",
                "attribute_not_exists(#count) OR #count < :max", Map.of("#count", "openHolds", "#type", "type"),
                Map.of(":zero", n(0), ":one", n(1), ":max", n(10), ":type", s("OPEN_HOLDS")));
        assertRecord(tx.get(7).put(), "{}");
    }

    @Test
    void captureClosesAnUnexpiredOpenHoldAndReleasesTheRest() {
        Hold hold = openHold(40);
        LedgerEntry entry = LedgerEntry.holdCaptured("e3", NOW, hold, "ALL", 25, "done", "admin-1");
        assertTrue(store.closeHold(hold, "ALL", 25, Hold.Status.CAPTURED, "captured", NOW,
                CreditStore.ExpiryCondition.NOT_EXPIRED, entry, record("{}")).committed());
        List<TransactWriteItem> tx = sent();
        assertEquals(8, tx.size());
        assertHoldClose(tx.get(0).update(), hold, "#status = :open AND #exp > :now", "CAPTURED", 25, "captured", true);
        assertCloseCounters(tx, 40, 25);
        Map<String, AttributeValue> ledger = assertCreated(tx.get(3).put());
        assertEquals("HOLD_CAPTURED", ledger.get("kind").s());
        assertEquals(n(25), ledger.get("amount"));
        assertDeltas(ledger, 0, 25, -40, 25, -40);
        assertEquals(USER, ledger.get("userId").s(), "attributed to the hold's owner");
        assertEquals("admin-1", ledger.get("actor").s(), "made by whoever captured it");
        assertUsage(tx.get(4).update(), UsageAggregates.Grain.DAY, "2026-11-28", USER, 25, 1, null);
        assertUsage(tx.get(5).update(), UsageAggregates.Grain.MONTH, "2026-11", USER, 25, 1, null);
        assertOpenHoldsDecrement(tx.get(6).update());
        assertRecord(tx.get(7).put(), "{}");
    }

    @Test
    void releaseByTheOwnerClosesAnyOpenHold() {
        Hold hold = openHold(40);
        LedgerEntry entry = LedgerEntry.holdReleased("e4", NOW, hold, "ALL", "job cancelled", USER);
        store.closeHold(hold, "ALL", 0, Hold.Status.RELEASED, "job cancelled", NOW, CreditStore.ExpiryCondition.ANY, entry, record("{}"));
        List<TransactWriteItem> tx = sent();
        assertEquals(6, tx.size());
        assertHoldClose(tx.get(0).update(), hold, "#status = :open", "RELEASED", 0, "job cancelled", false);
        assertCloseCounters(tx, 40, 0);
        Map<String, AttributeValue> ledger = assertCreated(tx.get(3).put());
        assertEquals("HOLD_RELEASED", ledger.get("kind").s());
        assertEquals(n(40), ledger.get("amount"));
        assertDeltas(ledger, 0, 0, -40, 0, -40);
        assertOpenHoldsDecrement(tx.get(4).update());
        assertRecord(tx.get(5).put(), "{}");
    }

    @Test
    void expiryReleaseBySystemOnlyClosesAHoldThatExpiredAndCompletesNoKey() {
        Hold hold = openHold(40);
        LedgerEntry entry = LedgerEntry.holdReleased("e5", NOW, hold, "ALL", "expired", LedgerEntry.SYSTEM);
        store.closeHold(hold, "ALL", 0, Hold.Status.RELEASED, "expired", NOW, CreditStore.ExpiryCondition.EXPIRED, entry, CreditStore.Rider.NONE);
        List<TransactWriteItem> tx = sent();
        assertEquals(5, tx.size());
        assertHoldClose(tx.get(0).update(), hold, "#status = :open AND #exp <= :now", "RELEASED", 0, "expired", true);
        assertCloseCounters(tx, 40, 0);
        Map<String, AttributeValue> ledger = assertCreated(tx.get(3).put());
        assertEquals("HOLD_RELEASED", ledger.get("kind").s());
        assertEquals("system", ledger.get("actor").s());
        assertOpenHoldsDecrement(tx.get(4).update());
    }

    private static final String ACCOUNT_CREDIT = "SET #purchased = if_not_exists(#purchased, :zero) + :n, #available = if_not_exists(#available, :zero) + :n, "
            + "#consumed = if_not_exists(#consumed, :zero), #held = if_not_exists(#held, :zero), #seq = if_not_exists(#seq, :zero) + :one, "
            + "#type = :type";

    @Test
    void topUpCreatesTheAccountOnFirstUseCountsItAgainstTheDefaultAllowanceThenCompletesTheKeyAndAudits() {
        LedgerEntry entry = LedgerEntry.topUp("e6", NOW, USER, 500, LedgerEntry.TopUpSource.PURCHASE, "PO-1", null);
        AuditEntry audited = AuditEntry.of(ORG, USER, "credits.topped-up", new AuditEntry.Target("ledger-entry", "e6"), Map.of(),
                AuditEntry.state("amount", 500), NOW);
        store.topUp(ORG, entry, new CreditStore.Allowance(Optional.empty(), 0), 2000, tx -> {
            var done = idempotency.complete(tx, claim, "{}");
            audit.record(tx, audited);
            return Optional.of(done);
        });
        List<TransactWriteItem> tx = sent();
        assertEquals(4, tx.size());
        assertUpdate(tx.get(0).update(), Keys.account(ORG), ACCOUNT_CREDIT + ", #ssUsed = if_not_exists(#ssUsed, :zero) + :n",
                "attribute_not_exists(#allowance) AND (attribute_not_exists(#ssUsed) OR #ssUsed <= :maxUsed)",
                Map.of("#purchased", "purchased", "#available", "available", "#consumed", "consumed", "#held", "held", "#seq", "seq", "#type", "type",
                        "#allowance", "topUpAllowance", "#ssUsed", "selfServiceToppedUp"),
                Map.of(":n", n(500), ":zero", n(0), ":one", n(1), ":type", s("ACCOUNT"), ":maxUsed", n(1500)));
        Map<String, AttributeValue> ledger = assertCreated(tx.get(1).put());
        assertEquals("TOP_UP", ledger.get("kind").s());
        assertEquals("PURCHASE", ledger.get("source").s());
        assertEquals(USER, ledger.get("actor").s());
        assertNull(ledger.get("GSI1PK"), "an organization entry is in no team's index");
        assertDeltas(ledger, 500, 0, 0, 0, 0);
        assertCompletion(tx.get(2).update(), "{}");
        assertEquals("credits.topped-up", assertCreated(tx.get(3).put()).get("action").s());
    }

    @Test
    void aTopUpUnderTheOrganizationsOwnAllowanceIsConditionedOnThatSettingAndUnlimitedCountsWithoutACap() {
        LedgerEntry entry = LedgerEntry.topUp("e7", NOW, USER, 300, LedgerEntry.TopUpSource.GRANT, null, null);
        store.topUp(ORG, entry, new CreditStore.Allowance(Optional.of(1000L), 600), 0, CreditStore.Rider.NONE);
        Update own = dynamo.transactions.get(0).transactItems().get(0).update();
        assertEquals("#allowance = :allowance AND (attribute_not_exists(#ssUsed) OR #ssUsed <= :maxUsed)", own.conditionExpression());
        assertEquals(n(1000), own.expressionAttributeValues().get(":allowance"));
        assertEquals(n(700), own.expressionAttributeValues().get(":maxUsed"));

        store.topUp(ORG, entry, new CreditStore.Allowance(Optional.of(-1L), 600), 0, CreditStore.Rider.NONE);
        Update unlimited = dynamo.transactions.get(1).transactItems().get(0).update();
        assertEquals("#allowance = :allowance", unlimited.conditionExpression());
        assertTrue(unlimited.updateExpression().contains("#ssUsed = if_not_exists(#ssUsed, :zero) + :n"), "still counted");
    }

    @Test
    void aBillingCreditNeedsTheOrganizationAndANewReferenceInTheSameTransactionAsTheCredit() {
        LedgerEntry entry = LedgerEntry.topUp("e8", NOW, "arn:aws:iam::123456789012:user/billing", 5000, LedgerEntry.TopUpSource.CONTRACT,
                "INV-7", "renewal");
        AuditEntry audited = AuditEntry.of(ORG, "arn:aws:iam::123456789012:user/billing", "credits.billed",
                new AuditEntry.Target("ledger-entry", "e8"), Map.of(), AuditEntry.state("amount", 5000), NOW);
        assertEquals(CreditStore.BillingCommit.COMMITTED, store.billingCredit(ORG, entry, "{\"entryId\":\"e8\"}", audited).commit());
        List<TransactWriteItem> tx = sent();
        assertEquals(5, tx.size());
        assertCheck(tx.get(0).conditionCheck(), Keys.organization(ORG), "attribute_exists(PK)", null, null);
        Map<String, AttributeValue> reference = assertCreated(tx.get(1).put());
        assertEquals(Keys.billingReference(ORG, "INV-7").sk(), reference.get("SK").s());
        assertEquals(n(5000), reference.get("amount"));
        assertEquals("CONTRACT", reference.get("source").s());
        assertEquals("{\"entryId\":\"e8\"}", reference.get("view").s(), "kept for replays");
        assertUpdate(tx.get(2).update(), Keys.account(ORG), ACCOUNT_CREDIT, null,
                Map.of("#purchased", "purchased", "#available", "available", "#consumed", "consumed", "#held", "held", "#seq", "seq", "#type", "type"),
                Map.of(":n", n(5000), ":zero", n(0), ":one", n(1), ":type", s("ACCOUNT")));
        Map<String, AttributeValue> ledger = assertCreated(tx.get(3).put());
        assertEquals("arn:aws:iam::123456789012:user/billing", ledger.get("actor").s());
        assertEquals("INV-7", ledger.get("reference").s());
        assertDeltas(ledger, 5000, 0, 0, 0, 0);
        assertEquals("credits.billed", assertCreated(tx.get(4).put()).get("action").s());
    }

    @Test
    void theOperatorSetsOrRemovesAnOrganizationsAllowanceAuditedInTheSameTransaction() {
        AuditEntry audited = AuditEntry.of(ORG, "operator", "credits.top-up-allowance-set", AuditEntry.Target.organization(ORG), Map.of(), Map.of(), NOW);
        assertTrue(store.setTopUpAllowance(ORG, Optional.of(5000L), audited));
        List<TransactWriteItem> tx = sent();
        assertEquals(3, tx.size());
        assertCheck(tx.get(0).conditionCheck(), Keys.organization(ORG), "attribute_exists(PK)", null, null);
        assertEquals(Keys.account(ORG).toMap(), tx.get(1).update().key());
        assertTrue(tx.get(1).update().updateExpression().endsWith("#allowance = :allowance"), tx.get(1).update().updateExpression());
        assertEquals("operator", assertCreated(tx.get(2).put()).get("actor").s());

        store.setTopUpAllowance(ORG, Optional.empty(), audited);
        assertTrue(dynamo.transactions.get(1).transactItems().get(1).update().updateExpression().endsWith("REMOVE #allowance"));
        dynamo.cancellations.add(List.of("ConditionalCheckFailed", "None", "None"));
        assertFalse(store.setTopUpAllowance(ORG, Optional.of(1L), audited), "no such organization");
    }

    @Test
    void budgetChangeMovesRemainingByTheChangeOfTheLimitOnTheTeamAsRead() {
        AuditEntry audited = AuditEntry.of(ORG, USER, "team.budget-changed", new AuditEntry.Target("team", TEAM), Map.of(), Map.of(), NOW);
        assertTrue(store.changeBudget(team, new Budget(Budget.Mode.LIMITED, 60L, Budget.Period.NONE), "ALL", audited));
        List<TransactWriteItem> tx = sent();
        assertEquals(2, tx.size());
        assertUpdate(tx.get(0).update(), Keys.team(ORG, TEAM),
                "SET #mode = :mode, #limit = :limit, #period = :period, #periodKey = :newKey, #rem = #rem + :delta, #version = #version + :one, "
                        + "#seq = #seq + :one",
                "#version = :v AND #limit = :oldLimit AND #periodKey = :oldKey",
                Map.of("#mode", "budgetMode", "#limit", "budgetLimit", "#period", "budgetPeriod", "#periodKey", "periodKey", "#rem", "remaining",
                        "#version", "version", "#seq", "seq"),
                Map.of(":mode", s("LIMITED"), ":limit", n(60), ":period", s("NONE"), ":newKey", s("ALL"), ":delta", n(-40), ":one", n(1),
                        ":v", n(7), ":oldLimit", n(100), ":oldKey", s("ALL")));
        assertEquals("team.budget-changed", assertCreated(tx.get(1).put()).get("action").s());
    }

    @Test
    void budgetPeriodSwitchCarriesThePeriodsConsumptionIntoANewPeriodKey() {
        AuditEntry audited = AuditEntry.of(ORG, USER, "team.budget-changed", new AuditEntry.Target("team", TEAM), Map.of(), Map.of(), NOW);
        store.changeBudget(team, new Budget(Budget.Mode.SHARED_POOL, null, Budget.Period.MONTHLY), "2026-11#x", audited);
        Update update = sent().get(0).update();
        assertUpdate(update, Keys.team(ORG, TEAM),
                "SET #mode = :mode, #limit = :limit, #period = :period, #periodKey = :newKey, #rem = #rem + :delta, #version = #version + :one, "
                        + "#seq = #seq + :one, #carry = #pc",
                "#version = :v AND #limit = :oldLimit AND #periodKey = :oldKey",
                Map.of("#mode", "budgetMode", "#limit", "budgetLimit", "#period", "budgetPeriod", "#periodKey", "periodKey", "#rem", "remaining",
                        "#version", "version", "#seq", "seq", "#carry", "periodCarry", "#pc", "periodConsumed"),
                Map.of(":mode", s("SHARED_POOL"), ":limit", n(0), ":period", s("MONTHLY"), ":newKey", s("2026-11#x"), ":delta", n(-100),
                        ":one", n(1), ":v", n(7), ":oldLimit", n(100), ":oldKey", s("ALL")));
    }

    @Test
    void aRefusedBudgetChangeIsReadAgain() {
        dynamo.cancellations.add(List.of("ConditionalCheckFailed", "None"));
        AuditEntry audited = AuditEntry.of(ORG, USER, "team.budget-changed", new AuditEntry.Target("team", TEAM), Map.of(), Map.of(), NOW);
        assertFalse(store.changeBudget(team, LIMITED, "ALL", audited));
    }

    @Test
    void monthlyRolloverStartsTheNewPeriodOnceAndIsAudited() {
        Team monthly = CreditFakes.team(new Budget(Budget.Mode.LIMITED, 100L, Budget.Period.MONTHLY), "2026-10", 30, 10, 60);
        dynamo.put(CreditFakes.teamItem(monthly));
        assertTrue(store.rollover(ORG, TEAM, "2026-11", NOW));
        List<TransactWriteItem> tx = sent();
        assertEquals(2, tx.size());
        assertUpdate(tx.get(0).update(), Keys.team(ORG, TEAM),
                "SET #periodKey = :new, #pc = :zero, #carry = :zero, #rem = #limit - #held, #seq = #seq + :one",
                "#period = :monthly AND #periodKey < :new",
                Map.of("#periodKey", "periodKey", "#pc", "periodConsumed", "#carry", "periodCarry", "#rem", "remaining", "#limit", "budgetLimit",
                        "#held", "held", "#seq", "seq", "#period", "budgetPeriod"),
                Map.of(":new", s("2026-11"), ":zero", n(0), ":one", n(1), ":monthly", s("MONTHLY")));
        Map<String, AttributeValue> audited = assertCreated(tx.get(1).put());
        assertEquals("team.period-started", audited.get("action").s());
        assertEquals("system", audited.get("actor").s());
        assertFalse(store.rollover(ORG, TEAM, "2026-10", NOW), "a period that has not ended is not rolled over");
        assertEquals(1, dynamo.transactions.size());
    }

    @Test
    void reconciliationAdjustmentsAreAppendedOnlyIfNothingMovedSinceTheMeasurement() {
        List<LedgerEntry> entries = List.of(
                LedgerEntry.adjustment("a1", NOW, null, null, 0, 5, 0, 0, 0, "reconciliation: organization counters"),
                LedgerEntry.adjustment("a2", NOW, TEAM, "ALL", 0, 0, 0, 5, -2, "reconciliation: team counters"));
        Map<String, Long> teamSeqs = new LinkedHashMap<>();
        teamSeqs.put(TEAM, 9L);
        AuditEntry repaired = AuditEntry.of(ORG, "system", "credits.reconciled", AuditEntry.Target.organization(ORG), Map.of(),
                AuditEntry.state("adjustments", List.of("a1", "a2")), NOW);
        assertTrue(store.appendAdjustments(ORG, 4, teamSeqs, entries, repaired));
        List<TransactWriteItem> tx = sent();
        assertEquals(7, tx.size());
        assertUpdate(tx.get(0).update(), Keys.account(ORG), "SET #seq = #seq + :one", "#seq = :seq", Map.of("#seq", "seq"),
                Map.of(":seq", n(4), ":one", n(1)));
        assertUpdate(tx.get(1).update(), Keys.team(ORG, TEAM), "SET #seq = #seq + :one", "#seq = :seq", Map.of("#seq", "seq"),
                Map.of(":seq", n(9), ":one", n(1)));
        Map<String, AttributeValue> org = assertCreated(tx.get(2).put());
        assertEquals("ADJUSTMENT", org.get("kind").s());
        assertEquals("reconciliation", org.get("userId").s());
        assertEquals(n(5), org.get("amount"));
        assertDeltas(org, 0, 5, 0, 0, 0);
        Map<String, AttributeValue> teamEntry = assertCreated(tx.get(3).put());
        assertEquals(n(7), teamEntry.get("amount"));
        assertDeltas(teamEntry, 0, 0, 0, 5, -2);
        assertEquals("system", teamEntry.get("actor").s());
        assertUsage(tx.get(4).update(), UsageAggregates.Grain.DAY, "2026-11-28", "reconciliation", 5, 1, null);
        assertUsage(tx.get(5).update(), UsageAggregates.Grain.MONTH, "2026-11", "reconciliation", 5, 1, null);
        Map<String, AttributeValue> audited = assertCreated(tx.get(6).put());
        assertEquals(Keys.audit(ORG), audited.get("PK").s(), "the repair is audited in the same transaction");
        assertEquals("system", audited.get("actor").s());
        assertEquals("credits.reconciled", audited.get("action").s());

        dynamo.cancellations.add(List.of("ConditionalCheckFailed", "None", "None", "None", "None", "None", "None"));
        assertFalse(store.appendAdjustments(ORG, 4, teamSeqs, entries, repaired), "moved since measured: nothing written");
    }

    // ------------------------------------------------------------------ assertions

    private Hold openHold(long amount) {
        return new Hold(Ids.newId(), ORG, TEAM, USER, amount, Hold.Status.OPEN, 0, NOW.minusSeconds(60), NOW.plusSeconds(600), null, null);
    }

    private static void assertHoldClose(Update update, Hold hold, String condition, String to, long captured, String reason, boolean expiry) {
        Map<String, String> names = new LinkedHashMap<>(Map.of("#status", "status", "#captured", "captured", "#closedAt", "closedAt",
                "#reason", "closeReason", "#ttl", "ttl"));
        Map<String, AttributeValue> values = new LinkedHashMap<>(Map.of(":open", s("OPEN"), ":to", s(to), ":c", n(captured),
                ":closed", s(NOW.toString()), ":reason", s(reason), ":ttl", n(NOW.plus(Duration.ofDays(30)).getEpochSecond())));
        if (expiry) {
            names.put("#exp", "expiresAtMs");
            values.put(":now", n(NOW.toEpochMilli()));
        }
        assertUpdate(update, Keys.hold(ORG, hold.holdId()), "SET #status = :to, #captured = :c, #closedAt = :closed, #reason = :reason, #ttl = :ttl",
                condition, names, values);
    }

    /** [1] team counters (only in the period as read), [2] account counters (unconditional). */
    private void assertCloseCounters(List<TransactWriteItem> tx, long held, long captured) {
        assertUpdate(tx.get(1).update(), Keys.team(ORG, TEAM),
                "SET #held = #held - :h, #pc = #pc + :c, #ct = #ct + :c, #rem = #rem + :back, #seq = #seq + :one", "#periodKey = :pk",
                Map.of("#held", "held", "#pc", "periodConsumed", "#ct", "consumedTotal", "#rem", "remaining", "#seq", "seq", "#periodKey", "periodKey"),
                Map.of(":h", n(held), ":c", n(captured), ":back", n(held - captured), ":one", n(1), ":pk", s("ALL")));
        assertUpdate(tx.get(2).update(), Keys.account(ORG),
                "SET #held = #held - :h, #consumed = #consumed + :c, #available = #available + :back, #seq = #seq + :one", null,
                Map.of("#held", "held", "#consumed", "consumed", "#available", "available", "#seq", "seq"),
                Map.of(":h", n(held), ":c", n(captured), ":back", n(held - captured), ":one", n(1)));
    }

    private static void assertOpenHoldsDecrement(Update update) {
        assertUpdate(update, Keys.openHolds(ORG, USER), "SET #count = if_not_exists(#count, :one) - :one", null,
                Map.of("#count", "openHolds"), Map.of(":one", n(1)));
    }

    /** An update adding {@code consumed} and {@code consumptions} to one usage aggregate (creating it on first use). */
    static void assertUsage(Update u, UsageAggregates.Grain grain, String period, String userId, long consumed, long consumptions, String condition) {
        String teamId = TEAM;
        Map<String, String> names = new LinkedHashMap<>(Map.of("#consumed", "consumed", "#consumptions", "consumptions", "#teamId", "teamId",
                "#userId", "userId", "#grain", "grain", "#period", "period", "#gsi1pk", "GSI1PK", "#gsi1sk", "GSI1SK", "#type", "type"));
        Map<String, AttributeValue> values = new LinkedHashMap<>(Map.of(":zero", n(0), ":consumed", n(consumed), ":consumptions", n(consumptions),
                ":teamId", s(teamId), ":userId", s(userId), ":grain", s(grain.name()), ":period", s(period),
                ":gsi1pk", s(Keys.memberUsageIndex(ORG, teamId, userId)), ":gsi1sk", s(grain.name() + "#" + period), ":type", s("USAGE")));
        assertEquals(Keys.usageItem(ORG, teamId, grain.name(), period, userId).toMap(), u.key());
        assertEquals("SET #consumed = if_not_exists(#consumed, :zero) + :consumed, #consumptions = if_not_exists(#consumptions, :zero) + :consumptions, "
                + "#teamId = :teamId, #userId = :userId, #grain = :grain, #period = :period, #gsi1pk = :gsi1pk, #gsi1sk = :gsi1sk, #type = :type",
                u.updateExpression());
        assertEquals(condition, u.conditionExpression());
        assertEquals(names, u.expressionAttributeNames());
        if (condition == null) {
            assertEquals(values, u.expressionAttributeValues());
        } else {
            assertTrue(u.expressionAttributeValues().entrySet().containsAll(values.entrySet()), u.expressionAttributeValues().toString());
        }
    }

    private static void assertRecord(Put put, String view) {
        assertEquals(Keys.idempotency(ORG, "key-1").pk(), put.item().get("PK").s());
        assertEquals("attribute_not_exists(PK)", put.conditionExpression(), "created only if the key was never used");
        assertEquals("COMPLETED", put.item().get("status").s());
        assertEquals("APPLIED", put.item().get("outcome").s());
        assertEquals("fp-1", put.item().get("fingerprint").s());
        assertEquals(view, put.item().get("view").s());
        assertNull(put.item().get("lockId"), "no claim, no lock");
        assertEquals(NOW.plus(Duration.ofHours(48)).getEpochSecond(), Long.parseLong(put.item().get("ttl").n()));
    }

    private void assertCompletion(Update update, String view) {
        assertUpdate(update, Keys.idempotency(ORG, "key-1"), COMPLETION_UPDATE, COMPLETION_CONDITION,
                Map.of("#status", "status", "#outcome", "outcome", "#view", "view"),
                Map.of(":completed", s("COMPLETED"), ":outcome", s("APPLIED"), ":view", s(view), ":inProgress", s("IN_PROGRESS"), ":lock", s("lock-1")));
    }

    static void assertUpdate(Update u, Key key, String expression, String condition, Map<String, String> names, Map<String, AttributeValue> values) {
        assertEquals(key.toMap(), u.key());
        assertEquals(expression, u.updateExpression());
        assertEquals(condition, u.conditionExpression());
        assertEquals(names, u.expressionAttributeNames());
        assertEquals(values, u.expressionAttributeValues());
        if (condition != null) {
            assertEquals("ALL_OLD", u.returnValuesOnConditionCheckFailureAsString());
        }
    }

    private static void assertCheck(ConditionCheck c, Key key, String condition, Map<String, String> names, Map<String, AttributeValue> values) {
        assertEquals(key.toMap(), c.key());
        assertEquals(condition, c.conditionExpression());
        assertEquals(names == null ? Map.of() : names, c.expressionAttributeNames());
        assertEquals(values == null ? Map.of() : values, c.expressionAttributeValues());
    }

    /** A put that only creates (ledger entries, holds and audit entries are never overwritten); its item. */
    private static Map<String, AttributeValue> assertCreated(Put put) {
        assertEquals("attribute_not_exists(PK)", put.conditionExpression());
        return put.item();
    }

    private static void assertDeltas(Map<String, AttributeValue> ledger, long purchased, long consumed, long held, long teamConsumed, long teamHeld) {
        assertEquals(List.of(n(purchased), n(consumed), n(held), n(teamConsumed), n(teamHeld)),
                List.of(ledger.get("purchasedDelta"), ledger.get("consumedDelta"), ledger.get("heldDelta"), ledger.get("teamConsumedDelta"),
                        ledger.get("teamHeldDelta")));
    }
}
