package com.enterpriseadmin.credit;

import static com.enterpriseadmin.credit.CreditFakes.NOW;
import static com.enterpriseadmin.credit.CreditFakes.ORG;
import static com.enterpriseadmin.credit.CreditFakes.TEAM;
import static com.enterpriseadmin.credit.CreditFakes.USER;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.enterpriseadmin.audit.AuditStore;
import com.enterpriseadmin.auth.Caller;
import com.enterpriseadmin.auth.OrgRole;
import com.enterpriseadmin.error.DomainException;
import com.enterpriseadmin.http.Json;
import com.enterpriseadmin.store.Item;
import com.enterpriseadmin.store.Keys;
import com.enterpriseadmin.support.FakeDynamo;
import com.enterpriseadmin.team.Budget;
import com.enterpriseadmin.team.MemberCaps;
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
import software.amazon.awssdk.services.dynamodb.model.UpdateItemRequest;

/**
 * Per-member caps: the refusal a capped member gets from the seat's condition (with their own remaining), a seat whose
 * counters are of an earlier period started in the team's (then admitted), and a cap set from the counters as read.
 */
class MemberCapsTest {
    private final FakeDynamo dynamo = new FakeDynamo();
    private final Json json = new Json();
    private final Clock clock = Clock.fixed(NOW, ZoneOffset.UTC);
    private final AuditStore audit = new AuditStore(dynamo.db, json);
    private final CreditStore store = new CreditStore(dynamo.db, audit);
    private final Credits credits = new Credits(CreditFakes.policy(dynamo), store, new Idempotency(dynamo.db, json, clock), audit, json, clock);

    @BeforeEach
    void member() {
        CreditFakes.member(dynamo, USER, OrgRole.USER);
        Map<String, AttributeValue> team = new java.util.HashMap<>(
                CreditFakes.teamItem(CreditFakes.team(new Budget(Budget.Mode.SHARED_POOL, null, Budget.Period.NONE, 100L), "ALL", 0, 0, 0)));
        team.put("memberLimit", AttributeValue.fromN("100"));
        dynamo.put(team);
        dynamo.put(CreditFakes.accountItem(1000, 0, 0));
    }

    private void seat(String periodKey, long used, long held, long cap) {
        dynamo.put(Item.of(Keys.teamMember(ORG, TEAM, USER), "TEAM_MEMBER").s("teamId", TEAM).s("userId", USER).s("memberPeriodKey", periodKey)
                .n("memberUsed", used).n("memberHeld", held).n("memberCap", cap).n("memberRemaining", cap - used).build());
    }

    private Outcome consume(String key, long amount) {
        return credits.consume(new Caller(USER, Optional.empty(), false, Optional.empty()), ORG, TEAM, key, new Requests.Consume(amount, null, null));
    }

    private static List<String> seatRefused() {
        List<String> codes = new ArrayList<>(Collections.nCopies(8, "None"));
        codes.set(3, "ConditionalCheckFailed");
        return codes;
    }

    @Test
    void aCappedMemberOverTheirLimitIsRefusedWithTheirOwnRemainingAndItIsRemembered() {
        seat("ALL", 95, 10, 100);
        dynamo.cancellations.add(seatRefused());
        DomainException refused = assertThrows(DomainException.Conflict.class, () -> consume("k-1", 10));
        assertEquals("member-budget-exhausted", refused.code());
        assertEquals(5L, ((Number) refused.extensions().get("remaining")).longValue());
        assertEquals(100L, ((Number) refused.extensions().get("memberLimit")).longValue());
        assertEquals(1, dynamo.transactions.size(), "decided from the cancellation alone");
        assertEquals(1, dynamo.writes.size(), "remembered under the key");
    }

    @Test
    void aSeatOfAnEarlierPeriodStartsTheTeamsPeriodWithWhatItHoldsThenTheAdmissionIsMadeAgain() {
        seat("2026-10", 100, 30, 100);
        dynamo.cancellations.add(seatRefused());
        assertInstanceOf(Outcome.Applied.class, consume("k-1", 10));
        assertEquals(2, dynamo.transactions.size(), "refused once by the seat, then admitted");
        UpdateItemRequest start = (UpdateItemRequest) dynamo.writes.stream().filter(w -> w instanceof UpdateItemRequest).findFirst().orElseThrow();
        assertEquals("SET #mpk = :pk, #mused = :held, #mrem = :rem", start.updateExpression());
        assertEquals("attribute_exists(#pk) AND #mpk = :old AND #mheld = :held", start.conditionExpression());
        assertEquals("30", start.expressionAttributeValues().get(":held").n(), "the new period starts with what the member holds");
        assertEquals("70", start.expressionAttributeValues().get(":rem").n());
    }

    @Test
    void aMembersOwnLimitIsSetFromTheirCountersAsReadAndAuditedInTheSameTransaction() {
        seat("ALL", 30, 10, 100);
        MemberCaps caps = new MemberCaps(dynamo.db, audit, clock);
        assertTrue(caps.apply(ORG, TEAM, USER, new MemberCaps.OwnLimit.Set(40), "admin-1"));
        var update = dynamo.transactions.get(0).transactItems().get(0).update();
        Map<String, AttributeValue> values = update.expressionAttributeValues();
        assertEquals("40", values.get(":cap").n());
        assertEquals("10", values.get(":rem").n(), "40 − the 30 used this period");
        assertTrue(update.conditionExpression().contains("#mused = :readUsed") && update.conditionExpression().contains("#mheld = :readHeld"),
                update.conditionExpression());
        assertEquals("team.member-limit-changed", dynamo.transactions.get(0).transactItems().get(1).put().item().get("action").s());

        // The team's member limit applies again once the member's own is removed; a seat of an earlier period counts only its holds.
        seat("2026-10", 30, 10, 40);
        dynamo.transactions.clear();
        assertTrue(caps.apply(ORG, TEAM, USER, new MemberCaps.OwnLimit.Remove(), "admin-1"));
        values = dynamo.transactions.get(0).transactItems().get(0).update().expressionAttributeValues();
        assertEquals("100", values.get(":cap").n());
        assertEquals("90", values.get(":rem").n());
    }
}
