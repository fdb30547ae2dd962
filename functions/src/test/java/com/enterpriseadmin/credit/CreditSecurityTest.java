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
import com.enterpriseadmin.auth.MemberStatus;
import com.enterpriseadmin.auth.OrgRole;
import com.enterpriseadmin.error.DomainException;
import com.enterpriseadmin.http.ApiRequest;
import com.enterpriseadmin.http.ApiResponse;
import com.enterpriseadmin.http.Json;
import com.enterpriseadmin.store.Db;
import com.enterpriseadmin.store.Ids;
import com.enterpriseadmin.store.Item;
import com.enterpriseadmin.store.Keys;
import com.enterpriseadmin.support.FakeDynamo;
import com.enterpriseadmin.team.Budget;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
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
import software.amazon.awssdk.services.dynamodb.model.PutItemRequest;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItem;

/**
 * The security rules of credits: who may mint them (billing, or administrators within an allowance),
 * how much one hold and one member may hold, who is named on the ledger and in the audit log, what a
 * refusal tells whom, and that a caller without permission never takes an Idempotency-Key.
 */
class CreditSecurityTest {
    private static final String CCF = "ConditionalCheckFailed";
    private static final String ADMIN = "admin-1";
    private static final String TEAM_ADMIN = "team-admin-1";
    private static final String OTHER = "other-1";
    private static final String BILLING = "arn:aws:iam::123456789012:user/billing";

    private final FakeDynamo dynamo = new FakeDynamo();
    private final Db db = CreditFakes.withBatchReads(dynamo);
    private final Json json = new Json();
    private final Clock clock = Clock.fixed(NOW, ZoneOffset.UTC);
    private final AuditStore audit = new AuditStore(db, json);
    private final CreditStore store = new CreditStore(db, audit);
    private final Idempotency idempotency = new Idempotency(db, json, clock);
    private final HoldClosing holds = new HoldClosing(CreditFakes.policy(dynamo), store, idempotency, audit, json, clock);

    private Credits credits(Credits.Limits limits) {
        return new Credits(CreditFakes.policy(dynamo), store, idempotency, audit, json, clock, limits);
    }

    private static Caller caller(String userId) {
        return new Caller(userId, Optional.empty(), false, Optional.empty());
    }

    @BeforeEach
    void organization() {
        CreditFakes.member(dynamo, USER, OrgRole.USER);
        CreditFakes.member(dynamo, ADMIN, OrgRole.ADMIN);
        CreditFakes.member(dynamo, OTHER, OrgRole.USER);
        seat(TEAM_ADMIN, OrgRole.USER, "ADMIN");
        dynamo.put(CreditFakes.accountItem(1000, 0, 0));
        limitedTeamWithRemaining(100);
    }

    /** An ACTIVE member with the given role in {@link CreditFakes#TEAM}. */
    private void seat(String userId, OrgRole role, String teamRole) {
        dynamo.put(Item.of(Keys.membership(ORG, userId), "MEMBERSHIP").s("orgId", ORG).s("userId", userId).s("email", "a@example.com")
                .s("role", role.name()).s("status", MemberStatus.ACTIVE.name()).map("teams", Map.of(TEAM, teamRole))
                .s("joinedAt", Ids.at(NOW)).s("updatedAt", Ids.at(NOW)).n("version", 1).build());
        dynamo.put(Item.of(Keys.teamMember(ORG, TEAM, userId), "TEAM_MEMBER").s("teamId", TEAM).s("userId", userId).s("role", teamRole).build());
    }

    private void limitedTeamWithRemaining(long remaining) {
        dynamo.put(CreditFakes.teamItem(CreditFakes.team(new Budget(Budget.Mode.LIMITED, 100L, Budget.Period.NONE), "ALL", 100 - remaining, 0, remaining)));
    }

    private void cancelNext(int actions, int... failed) {
        List<String> codes = new ArrayList<>(Collections.nCopies(actions, "None"));
        for (int i : failed) {
            codes.set(i, CCF);
        }
        dynamo.cancellations.add(codes);
    }

    /** A consumption by someone with other roles than the common ones: refused first by the membership as assumed (index 2), then by the rule. */
    private void cancelTwiceForRoles(int rule) {
        cancelNext(6, rule, 2);
        cancelNext(6, rule);
    }

    /** Whether the key's record was written, alone or in a transaction. */
    private boolean claimed(String key) {
        String pk = Keys.idempotency(ORG, key).pk();
        return dynamo.writes.stream().anyMatch(w -> w instanceof PutItemRequest p && p.item().get("PK").s().equals(pk))
                || dynamo.transactions.stream().flatMap(t -> t.transactItems().stream())
                .anyMatch(a -> a.put() != null && a.put().item().get("PK").s().equals(pk));
    }

    // ------------------------------------------------------------------ 1. minting credits

    @Test
    void aTeamIdThatIsNoTeamOfTheOrganizationIsTheSame404AsAnUnknownIdButATeamWithoutASeatIs403() {
        // OTHER is an ACTIVE member, seated in TEAM only. Another organization's team id (or none): the team guard's
        // cancellation shows no item, so the answer is the 404 any unknown id gets; nothing is claimed.
        String foreignTeam = "01otherorgsteam00000000000";
        cancelNext(8, 0, 2, 3);
        DomainException unknown = assertThrows(DomainException.NotFound.class, () -> credits(Credits.Limits.DEFAULTS)
                .consume(caller(OTHER), ORG, foreignTeam, "k-404", new Requests.Consume(5L, null, null)));
        assertEquals("team-not-found", unknown.code());
        assertTrue(dynamo.writes.isEmpty(), "a permission refusal is not remembered under the key (the cancelled transaction wrote nothing)");

        // A team of this organization a member has no seat in: 403, the team exists for every member to see.
        dynamo.put(Item.of(Keys.membership(ORG, "loner"), "MEMBERSHIP").s("orgId", ORG).s("userId", "loner").s("email", "l@example.com")
                .s("role", OrgRole.USER.name()).s("status", MemberStatus.ACTIVE.name()).map("teams", Map.of())
                .s("joinedAt", Ids.at(NOW)).s("updatedAt", Ids.at(NOW)).n("version", 1).build());
        cancelNext(8, 2, 3);
        DomainException unseated = assertThrows(DomainException.Forbidden.class, () -> consume("loner", "k-403", 5));
        assertEquals("not-a-team-member", unseated.code());
        assertTrue(dynamo.writes.isEmpty());
        assertEquals(2, dynamo.transactions.size(), "one transaction each, nothing else");
    }

    @Test
    void aSelfServiceTopUpBeyondTheAllowanceIsRefusedWithWhatIsLeftAndMovesNothing() {
        dynamo.put(Item.of(Keys.account(ORG), "ACCOUNT").n("purchased", 1000).n("consumed", 0).n("held", 0).n("available", 1000).n("seq", 5)
                .n("selfServiceToppedUp", 900).build());
        Credits credits = credits(new Credits.Limits(1000, 100_000, 86_400, 10));
        DomainException refused = assertThrows(DomainException.Conflict.class, () -> credits.topUp(caller(ADMIN), ORG, "k-1",
                new Requests.TopUp(200L, LedgerEntry.TopUpSource.PURCHASE, "PO-9", null)));
        assertEquals("top-up-allowance-exceeded", refused.code());
        assertEquals(100L, ((Number) refused.extensions().get("allowanceLeft")).longValue());
        assertTrue(refused.detail().contains("billing"), refused.detail());
        assertEquals(0, dynamo.transactions.size(), "nothing credited");

        assertInstanceOf(Outcome.Applied.class, credits.topUp(caller(ADMIN), ORG, "k-2",
                new Requests.TopUp(100L, LedgerEntry.TopUpSource.CONTRACT, null, null)));
        String condition = dynamo.transactions.get(0).transactItems().get(0).update().conditionExpression();
        assertEquals("attribute_not_exists(#allowance) AND (attribute_not_exists(#ssUsed) OR #ssUsed <= :maxUsed)", condition,
                "counted atomically against the allowance");
    }

    @Test
    void byDefaultNoOneMintsCreditsThroughTheAdminRouteButTheOperatorsSettingWins() {
        Credits credits = credits(Credits.Limits.DEFAULTS);
        assertEquals("top-up-allowance-exceeded", assertThrows(DomainException.Conflict.class, () -> credits.topUp(caller(ADMIN), ORG, "k-1",
                new Requests.TopUp(1_000_000_000_000L, LedgerEntry.TopUpSource.PURCHASE, null, null))).code());
        dynamo.put(Item.of(Keys.account(ORG), "ACCOUNT").n("purchased", 1000).n("available", 1000).n("topUpAllowance", 5000).build());
        assertInstanceOf(Outcome.Applied.class, credits.topUp(caller(ADMIN), ORG, "k-2", new Requests.TopUp(5000L, LedgerEntry.TopUpSource.GRANT, null, null)));
        assertEquals("#allowance = :allowance AND (attribute_not_exists(#ssUsed) OR #ssUsed <= :maxUsed)",
                dynamo.transactions.get(0).transactItems().get(0).update().conditionExpression());
    }

    @Test
    void theSameBillingReferenceReplaysTheFirstCreditAndAnotherAmountUnderItIsRefused() {
        BillingCredits billing = new BillingCredits(store, json, clock);
        BillingCredits.BillingPrincipal principal = new BillingCredits.BillingPrincipal(BILLING, "123456789012", "AKIA");
        Outcome.Applied first = assertInstanceOf(Outcome.Applied.class,
                billing.credit(principal, ORG, new Requests.BillingCredit(5000L, LedgerEntry.TopUpSource.PURCHASE, "INV-1", null)));
        assertFalse(first.replayed());
        assertTrue(first.view().contains("\"actor\":\"" + BILLING + "\""), first.view());

        // The reference exists now: the conditional put refuses the second credit, which answers the first one.
        dynamo.put(Item.of(Keys.billingReference(ORG, "INV-1"), "BILLING_REFERENCE").n("amount", 5000).s("source", "PURCHASE")
                .s("entryId", "e1").s("view", first.view()).build());
        cancelNext(5, 1);
        Outcome.Applied replay = assertInstanceOf(Outcome.Applied.class,
                billing.credit(principal, ORG, new Requests.BillingCredit(5000L, LedgerEntry.TopUpSource.PURCHASE, "INV-1", null)));
        assertTrue(replay.replayed());
        assertEquals(first.view(), replay.view());

        cancelNext(5, 1);
        DomainException reused = assertThrows(DomainException.Unprocessable.class,
                () -> billing.credit(principal, ORG, new Requests.BillingCredit(6000L, LedgerEntry.TopUpSource.PURCHASE, "INV-1", null)));
        assertEquals("reference-reused", reused.code());

        cancelNext(5, 0);
        assertEquals("organization-not-found", assertThrows(DomainException.NotFound.class,
                () -> billing.credit(principal, ORG, new Requests.BillingCredit(1L, LedgerEntry.TopUpSource.GRANT, "INV-2", null))).code());
        assertThrows(DomainException.InvalidInput.class, () -> new Requests.BillingCredit(1L, LedgerEntry.TopUpSource.ADJUSTMENT, "INV-3", null));
        assertThrows(DomainException.InvalidInput.class, () -> new Requests.BillingCredit(1L, LedgerEntry.TopUpSource.GRANT, null, null));
    }

    @Test
    void theBillingRouteWithoutAnIamIdentityIsUnauthenticated() {
        BillingCreditsHandler handler = new BillingCreditsHandler(json, new BillingCredits(store, json, clock));
        String route = "POST /v1/billing/organizations/{orgId}/credits";
        String body = "{\"amount\":10,\"source\":\"GRANT\",\"reference\":\"R-1\"}";
        ApiResponse anonymous = handler.handle(new ApiRequest(route, "POST", "/x", Map.of("orgId", ORG), Map.of(), Map.of(), body,
                Map.of("sub", USER), "r-1"));
        assertEquals(401, anonymous.statusCode(), "a Cognito identity is not a billing identity");
        ApiResponse signed = handler.handle(new ApiRequest(route, "POST", "/x", Map.of("orgId", ORG), Map.of(), Map.of(), body,
                Map.of(), "r-2", Map.of("userArn", BILLING, "accountId", "123456789012", "accessKey", "AKIA")));
        assertEquals(201, signed.statusCode(), signed.body());
    }

    @Test
    void theOperatorCommandSetsTheAllowance() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        TopUpAllowances allowances = new TopUpAllowances(store, 0, clock);
        assertEquals(0, SetTopUpAllowanceCommand.run(new String[] {ORG, "5000", "ticket #1"}, new PrintStream(out), new PrintStream(err), () -> allowances));
        assertTrue(out.toString(StandardCharsets.UTF_8).contains("self-service top-up allowance of " + ORG), out.toString(StandardCharsets.UTF_8));
        assertEquals(2, SetTopUpAllowanceCommand.run(new String[] {ORG, "lots"}, new PrintStream(out), new PrintStream(err), () -> allowances));
        dynamo.cancellations.add(List.of(CCF, "None", "None"));
        assertEquals(1, SetTopUpAllowanceCommand.run(new String[] {ORG, "unlimited"}, new PrintStream(out), new PrintStream(err), () -> allowances));
    }

    // ------------------------------------------------------------------ 2. hold abuse

    @Test
    void aHoldAboveTheMaximumAmountOrDurationIsRefusedBeforeAnythingIsClaimed() {
        Credits credits = credits(new Credits.Limits(0, 50, 3600, 10));
        DomainException big = assertThrows(DomainException.InvalidInput.class,
                () -> credits.placeHold(caller(USER), ORG, TEAM, "k-1", new Requests.PlaceHold(51L, 60L, null, null)));
        assertEquals("hold-amount-too-large", big.code());
        assertEquals("amount", big.extensions().get("field"));
        DomainException longer = assertThrows(DomainException.InvalidInput.class,
                () -> credits.placeHold(caller(USER), ORG, TEAM, "k-2", new Requests.PlaceHold(50L, 3601L, null, null)));
        assertEquals("hold-duration-too-long", longer.code());
        assertEquals("expiresInSeconds", longer.extensions().get("field"));
        assertFalse(claimed("k-1") || claimed("k-2"));
        assertEquals(0, dynamo.transactions.size());
    }

    @Test
    void aMemberAtTheCapOfOpenHoldsIsRefusedByTheCounterInThePlacement() {
        dynamo.put(Item.of(Keys.openHolds(ORG, USER), "OPEN_HOLDS").n("openHolds", 10).build());
        cancelNext(8, 6);
        DomainException refused = assertThrows(DomainException.Conflict.class, () -> credits(Credits.Limits.DEFAULTS)
                .placeHold(caller(USER), ORG, TEAM, "k-1", new Requests.PlaceHold(10L, 60L, null, null)));
        assertEquals("too-many-open-holds", refused.code());
        assertEquals(10L, ((Number) refused.extensions().get("maxOpenHolds")).longValue());
        TransactWriteItem counter = dynamo.transactions.get(0).transactItems().get(6);
        assertEquals(Keys.openHolds(ORG, USER).toMap(), counter.update().key());
        assertEquals("attribute_not_exists(#count) OR #count < :max", counter.update().conditionExpression());
    }

    // ------------------------------------------------------------------ 3. actors

    @Test
    void aTeamAdminCapturingAMembersHoldIsTheEntrysActorAndIsAuditedInTheSameTransaction() {
        Hold hold = openHold(USER);
        Outcome.Applied done = assertInstanceOf(Outcome.Applied.class,
                holds.capture(caller(TEAM_ADMIN), ORG, TEAM, hold.holdId(), "k-1", new Requests.Capture(25L, null)));
        assertTrue(done.view().contains("\"status\":\"CAPTURED\""));
        List<TransactWriteItem> tx = dynamo.transactions.get(0).transactItems();
        Map<String, AttributeValue> ledger = tx.get(3).put().item();
        assertEquals(USER, ledger.get("userId").s());
        assertEquals(TEAM_ADMIN, ledger.get("actor").s());
        Map<String, AttributeValue> audited = tx.get(tx.size() - 1).put().item();
        assertEquals(Keys.audit(ORG), audited.get("PK").s());
        assertEquals("hold.captured", audited.get("action").s());
        assertEquals(TEAM_ADMIN, audited.get("actor").s());
        assertTrue(audited.get("before").s().contains("\"owner\":\"" + USER + "\""), audited.get("before").s());

        Hold own = openHold(USER);
        holds.release(caller(USER), ORG, TEAM, own.holdId(), "k-2", new Requests.Release(null));
        List<TransactWriteItem> ownTx = dynamo.transactions.get(1).transactItems();
        assertEquals(8, ownTx.size(), "one's own hold: no audit entry (the owner's seat is the 7th action)");
        assertEquals("#status = :status AND #role = :role AND #teams.#team = :teamRole", ownTx.get(5).conditionCheck().conditionExpression(),
                "the membership the permission was decided on, asserted unchanged");
        assertEquals(USER, ownTx.get(3).put().item().get("actor").s());
    }

    // ------------------------------------------------------------------ 4. what refusals tell whom

    @Test
    void aTeamMemberLearnsTheRuleButNotTheTeamsOrTheOrganizationsFigures() {
        limitedTeamWithRemaining(5);
        cancelNext(6, 0);
        DomainException team = assertThrows(DomainException.Conflict.class, () -> consume(USER, "k-1", 10));
        assertEquals("team-budget-exhausted", team.code());
        assertEquals(Map.of("requested", 10L), team.extensions(), "no remaining, limit, periodConsumed, held");
        assertTrue(team.detail().contains("cannot cover 10"), team.detail());
        assertTrue(rememberedRefusal().contains("\"extensions\":{\"requested\":10}"), "the body remembered is the member's");

        limitedTeamWithRemaining(100);
        dynamo.put(CreditFakes.accountItem(1000, 995, 0));
        cancelNext(6, 1);
        DomainException org = assertThrows(DomainException.Conflict.class, () -> consume(USER, "k-2", 10));
        assertEquals("organization-credits-exhausted", org.code());
        assertFalse(org.extensions().containsKey("available"));
        assertFalse(org.detail().contains("995") || org.detail().contains(" 5 "), org.detail());
    }

    @Test
    void aTeamAdminSeesTheTeamsFiguresAndAnOrgAdminAlsoTheOrganizations() {
        limitedTeamWithRemaining(5);
        cancelTwiceForRoles(0);
        DomainException team = assertThrows(DomainException.Conflict.class, () -> consume(TEAM_ADMIN, "k-1", 10));
        assertEquals(5L, ((Number) team.extensions().get("remaining")).longValue());
        assertEquals(95L, ((Number) team.extensions().get("periodConsumed")).longValue());

        limitedTeamWithRemaining(100);
        dynamo.put(CreditFakes.accountItem(1000, 995, 0));
        cancelTwiceForRoles(1);
        assertFalse(assertThrows(DomainException.Conflict.class, () -> consume(TEAM_ADMIN, "k-2", 10)).extensions().containsKey("available"),
                "a team ADMIN does not see the organization's figures");
        cancelTwiceForRoles(1);
        assertEquals(5L, ((Number) assertThrows(DomainException.Conflict.class, () -> consume(ADMIN, "k-3", 10)).extensions().get("available"))
                .longValue());
    }

    // ------------------------------------------------------------------ 5. permission before the key

    @Test
    void someoneWhoMayNotCloseAHoldNeverClaimsTheKeySoItsOwnerCanStillUseIt() {
        Hold hold = openHold(USER);
        DomainException refused = assertThrows(DomainException.Forbidden.class,
                () -> holds.capture(caller(OTHER), ORG, TEAM, hold.holdId(), "shared-key", new Requests.Capture(10L, null)));
        assertEquals("forbidden", refused.code());
        assertFalse(claimed("shared-key"), "refused before the Idempotency-Key was claimed");
        assertEquals(0, dynamo.transactions.size());

        Outcome.Applied owner = assertInstanceOf(Outcome.Applied.class,
                holds.capture(caller(USER), ORG, TEAM, hold.holdId(), "shared-key", new Requests.Capture(10L, null)));
        assertFalse(owner.replayed());
        assertTrue(claimed("shared-key"));
    }

    @Test
    void aTeamAdminDemotedBetweenTheReadAndTheTransactionIsRefusedByTheMembershipItAsserted() {
        Hold hold = openHold(USER);
        // Read as a team ADMIN; the transaction's check (index 7, after the capture's usage aggregates) sees a team MEMBER: no longer allowed.
        dynamo.cancellations.add(List.of("None", "None", "None", "None", "None", "None", "None", CCF, "None", "None"));
        dynamo.beforeTransactions.add(() -> seat(TEAM_ADMIN, OrgRole.USER, "MEMBER"));
        DomainException refused = assertThrows(DomainException.Forbidden.class,
                () -> holds.capture(caller(TEAM_ADMIN), ORG, TEAM, hold.holdId(), "k-9", new Requests.Capture(5L, null)));
        assertEquals(1, dynamo.transactions.size());
        assertFalse(dynamo.writes.stream().anyMatch(w -> w instanceof PutItemRequest), "a permission refusal is not remembered");
        assertEquals("forbidden", refused.code());
    }

    // ------------------------------------------------------------------ helpers

    private Outcome consume(String userId, String key, long amount) {
        return credits(Credits.Limits.DEFAULTS).consume(caller(userId), ORG, TEAM, key, new Requests.Consume(amount, null, null));
    }

    private String rememberedRefusal() {
        return dynamo.writes.stream().filter(w -> w instanceof PutItemRequest)
                .map(w -> ((PutItemRequest) w).item().get("refusal"))
                .filter(java.util.Objects::nonNull).map(AttributeValue::s).reduce((a, b) -> b).orElseThrow();
    }

    private Hold openHold(String owner) {
        Hold hold = new Hold(Ids.newId(), ORG, TEAM, owner, 40, Hold.Status.OPEN, 0, NOW.minusSeconds(60), NOW.plusSeconds(600), null, null);
        dynamo.put(CreditItems.hold(hold));
        return hold;
    }
}
