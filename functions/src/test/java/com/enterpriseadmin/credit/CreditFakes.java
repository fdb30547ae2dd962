package com.enterpriseadmin.credit;

import com.enterpriseadmin.auth.MemberStatus;
import com.enterpriseadmin.auth.OrgRole;
import com.enterpriseadmin.auth.Policy;
import com.enterpriseadmin.organization.Membership;
import com.enterpriseadmin.organization.OrganizationStore;
import com.enterpriseadmin.store.Db;
import com.enterpriseadmin.store.Ids;
import com.enterpriseadmin.store.Item;
import com.enterpriseadmin.store.Key;
import com.enterpriseadmin.store.Keys;
import com.enterpriseadmin.support.FakeDynamo;
import com.enterpriseadmin.team.Budget;
import com.enterpriseadmin.team.Team;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/** Items and helpers shared by the credit unit tests. */
final class CreditFakes {
    static final Instant NOW = Instant.parse("2026-11-28T10:00:00Z");
    static final String ORG = Ids.newId();
    static final String TEAM = Ids.newId();
    static final String USER = "user-1";

    private CreditFakes() {}

    /** The fake's table (it answers BatchGetItem from its items: the consumption path reads membership and team in one). */
    static Db withBatchReads(FakeDynamo dynamo) {
        return dynamo.db;
    }

    static Policy policy(FakeDynamo dynamo) {
        return new Policy((orgId, userId) -> Optional.ofNullable(item(dynamo, Keys.membership(orgId, userId)))
                .map(OrganizationStore::memberFromItem).map(Membership::standing));
    }

    static Map<String, AttributeValue> item(FakeDynamo dynamo, Key key) {
        return dynamo.items.get(key.pk() + "|" + key.sk());
    }

    /** An ACTIVE member of {@link #ORG} who is a member of {@link #TEAM}; their team seat too. */
    static void member(FakeDynamo dynamo, String userId, OrgRole role) {
        dynamo.put(Item.of(Keys.membership(ORG, userId), "MEMBERSHIP").s("orgId", ORG).s("userId", userId).s("email", "a@example.com")
                .s("role", role.name()).s("status", MemberStatus.ACTIVE.name()).map("teams", Map.of(TEAM, "MEMBER"))
                .s("joinedAt", Ids.at(NOW)).s("updatedAt", Ids.at(NOW)).n("version", 1).build());
        dynamo.put(Item.of(Keys.teamMember(ORG, TEAM, userId), "TEAM_MEMBER").s("teamId", TEAM).s("userId", userId).build());
    }

    static Team team(Budget budget, String periodKey, long periodConsumed, long held, long remaining) {
        return new Team(ORG, TEAM, "Research", Team.Status.ACTIVE, budget, periodKey, periodConsumed, 0, periodConsumed, held, remaining, 1, 7,
                NOW.minusSeconds(86_400), null);
    }

    static Map<String, AttributeValue> teamItem(Team t) {
        return Item.of(Keys.team(t.orgId(), t.teamId()), "TEAM").s("orgId", t.orgId()).s("teamId", t.teamId()).s("name", t.name())
                .s("status", t.status().name()).s("budgetMode", t.budget().mode().name()).n("budgetLimit", t.budget().storedLimit())
                .s("budgetPeriod", t.budget().period().name()).s("periodKey", t.periodKey()).n("periodConsumed", t.periodConsumed())
                .n("periodCarry", t.periodCarry()).n("consumedTotal", t.consumedTotal()).n("held", t.held()).n("remaining", t.remaining())
                .n("memberCount", t.memberCount()).n("version", t.version()).n("seq", 3).time("createdAt", t.createdAt()).build();
    }

    static Map<String, AttributeValue> accountItem(long purchased, long consumed, long held) {
        return Item.of(Keys.account(ORG), "ACCOUNT").n("purchased", purchased).n("consumed", consumed).n("held", held)
                .n("available", purchased - consumed - held).n("seq", 5).build();
    }

    static AttributeValue n(long value) {
        return AttributeValue.fromN(Long.toString(value));
    }

    static AttributeValue s(String value) {
        return AttributeValue.fromS(value);
    }
}
