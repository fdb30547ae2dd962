package com.enterpriseadmin.team;

import com.enterpriseadmin.store.Item;
import com.enterpriseadmin.store.Keys;
import java.time.Instant;
import java.util.Map;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * Mapping of the team item ({@code ORG#{orgId} / TEAM#{teamId}}). Attribute names are shared with
 * the credit transactions in {@code credit.CreditStore}, which update the counters in place.
 */
public final class TeamItems {
    public static final String TYPE = "TEAM";
    public static final String STATUS = "status";
    public static final String MODE = "budgetMode";
    public static final String LIMIT = "budgetLimit";
    public static final String PERIOD = "budgetPeriod";
    public static final String PERIOD_KEY = "periodKey";
    public static final String PERIOD_CONSUMED = "periodConsumed";
    public static final String PERIOD_CARRY = "periodCarry";
    public static final String CONSUMED_TOTAL = "consumedTotal";
    public static final String HELD = "held";
    public static final String REMAINING = "remaining";
    public static final String MEMBER_COUNT = "memberCount";
    public static final String VERSION = "version";
    public static final String SEQ = "seq";
    /** The team's per-member cap (absent: none). */
    public static final String MEMBER_LIMIT = "memberLimit";

    // The seat's member-cap counters (ORG#{orgId} / TEAMMEMBER#{teamId}#{userId}), moved by the credit transactions.
    /** The member's own limit in this team (absent: the team's {@link #MEMBER_LIMIT} applies). */
    public static final String SEAT_OWN_LIMIT = "limit";
    /** The cap in force on this seat: its own limit, else the team's member limit; absent: uncapped. */
    public static final String SEAT_CAP = "memberCap";
    /** The team period the seat's counters are of. */
    public static final String SEAT_PERIOD_KEY = "memberPeriodKey";
    /** What the member consumed in the period plus what they hold. */
    public static final String SEAT_USED = "memberUsed";
    /** What the member's open holds in this team reserve. */
    public static final String SEAT_HELD = "memberHeld";
    /** {@code memberCap − memberUsed} (meaningful only while capped). */
    public static final String SEAT_REMAINING = "memberRemaining";

    private TeamItems() {}

    /** A new team with zero counters, its period starting now. */
    public static Map<String, AttributeValue> newTeam(String orgId, String teamId, String name, String nameKey, Budget budget, Instant now) {
        Item item = Item.of(Keys.team(orgId, teamId), TYPE)
                .s("orgId", orgId)
                .s("teamId", teamId)
                .s("name", name)
                .s("nameKey", nameKey)
                .s(STATUS, Team.Status.ACTIVE.name())
                .s(MODE, budget.mode().name())
                .n(LIMIT, budget.storedLimit())
                .s(PERIOD, budget.period().name())
                .s(PERIOD_KEY, Periods.keyFor(budget.period(), now))
                .n(PERIOD_CONSUMED, 0)
                .n(PERIOD_CARRY, 0)
                .n(CONSUMED_TOTAL, 0)
                .n(HELD, 0)
                .n(REMAINING, budget.storedLimit())
                .n(MEMBER_COUNT, 0)
                .n(VERSION, 1)
                .n(SEQ, 0)
                .time("createdAt", now);
        if (budget.memberLimit() != null) {
            item.n(MEMBER_LIMIT, budget.memberLimit());
        }
        return item.build();
    }

    public static Team fromItem(Map<String, AttributeValue> item) {
        Budget.Mode mode = Budget.Mode.valueOf(Item.str(item, MODE));
        Budget budget = new Budget(mode, mode == Budget.Mode.LIMITED ? Item.num(item, LIMIT) : null, Budget.Period.valueOf(Item.str(item, PERIOD)),
                item.containsKey(MEMBER_LIMIT) ? Item.num(item, MEMBER_LIMIT) : null);
        return new Team(
                Item.str(item, "orgId"),
                Item.str(item, "teamId"),
                Item.str(item, "name"),
                Team.Status.valueOf(Item.str(item, STATUS)),
                budget,
                Item.str(item, PERIOD_KEY),
                Item.num(item, PERIOD_CONSUMED),
                Item.num(item, PERIOD_CARRY),
                Item.num(item, CONSUMED_TOTAL),
                Item.num(item, HELD),
                Item.num(item, REMAINING),
                Item.num(item, MEMBER_COUNT),
                Item.num(item, VERSION),
                Item.time(item, "createdAt"),
                Item.time(item, "archivedAt"));
    }
}
