package com.enterpriseadmin.team;

import com.enterpriseadmin.audit.AuditEntry;
import com.enterpriseadmin.audit.AuditStore;
import com.enterpriseadmin.store.Db;
import com.enterpriseadmin.store.Item;
import com.enterpriseadmin.store.Keys;
import com.enterpriseadmin.store.Retry;
import com.enterpriseadmin.store.Tx;
import java.time.Clock;
import java.util.Map;
import java.util.Optional;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.QueryRequest;

/**
 * Per-member caps: what one member may use in a team per period (consumed + held). The cap in force is on the seat
 * ({@code memberCap}: the member's own {@code limit}, else the team budget's {@code memberLimit}), beside the
 * member's counters of the team's period ({@code memberUsed}, {@code memberHeld}, {@code memberRemaining} = cap −
 * used), so the admission's seat condition {@code memberRemaining >= n} decides in the same transaction as the team
 * and the account (docs/credits.md, "Per-member caps"). Setting a cap recomputes the seat's remaining from its
 * counters, conditioned on them as read. A change of the team's {@code memberLimit} is applied to every seat without
 * its own limit right after the budget change commits; a seat added to the team gets it right after it is added.
 */
public final class MemberCaps {
    private final Db db;
    private final AuditStore audit;
    private final Clock clock;

    public MemberCaps(Db db, AuditStore audit, Clock clock) {
        this.db = db;
        this.audit = audit;
        this.clock = clock;
    }

    /** What happens to the member's own limit: kept, set, or removed (the team's member limit applies). */
    public sealed interface OwnLimit {
        record Keep() implements OwnLimit {}

        record Set(long limit) implements OwnLimit {}

        record Remove() implements OwnLimit {}
    }

    public static final OwnLimit KEEP = new OwnLimit.Keep();

    /**
     * Sets the seat's cap in force from {@code own} and the team's member limit, recomputing its remaining in the team's
     * current period. False if there is no such seat. {@code actor} non-null: audited {@code team.member-limit-changed}.
     */
    public boolean apply(String orgId, String teamId, String userId, OwnLimit own, String actor) {
        return Retry.until(attempt -> {
            Optional<Map<String, AttributeValue>> seat = db.get(Keys.teamMember(orgId, teamId, userId));
            Optional<Team> team = db.get(Keys.team(orgId, teamId)).map(TeamItems::fromItem);
            if (seat.isEmpty() || team.isEmpty()) {
                return Optional.of(false);
            }
            return write(seat.get(), team.get(), own, actor) ? Optional.of(true) : Optional.empty();
        });
    }

    /** The team's member limit (as it is now) applied to every seat of the team without its own limit. */
    public int applyTeamLimit(String orgId, String teamId) {
        int applied = 0;
        for (Map<String, AttributeValue> seat : db.queryAll(QueryRequest.builder()
                .keyConditionExpression("#pk = :pk AND begins_with(#sk, :prefix)")
                .expressionAttributeNames(Map.of("#pk", Keys.PK, "#sk", Keys.SK))
                .expressionAttributeValues(Map.of(":pk", AttributeValue.fromS(Keys.org(orgId)),
                        ":prefix", AttributeValue.fromS(Keys.teamMembersPrefix(teamId))))
                .consistentRead(true)).toList()) {
            if (!seat.containsKey(TeamItems.SEAT_OWN_LIMIT) && apply(orgId, teamId, Item.str(seat, "userId"), KEEP, null)) {
                applied++;
            }
        }
        return applied;
    }

    private boolean write(Map<String, AttributeValue> seat, Team team, OwnLimit own, String actor) {
        Optional<Long> ownBefore = num(seat, TeamItems.SEAT_OWN_LIMIT);
        Optional<Long> ownAfter = switch (own) {
            case OwnLimit.Keep k -> ownBefore;
            case OwnLimit.Set s -> Optional.of(s.limit());
            case OwnLimit.Remove r -> Optional.empty();
        };
        Optional<Long> cap = ownAfter.or(() -> Optional.ofNullable(team.budget().memberLimit()));
        long held = num(seat, TeamItems.SEAT_HELD).orElse(0L);
        boolean samePeriod = team.periodKey().equals(Item.str(seat, TeamItems.SEAT_PERIOD_KEY));
        long used = samePeriod ? num(seat, TeamItems.SEAT_USED).orElse(0L) : held;
        Tx tx = db.tx();
        Tx.Write update = tx.update(Keys.teamMember(team.orgId(), team.teamId(), Item.str(seat, "userId")))
                .set("#mpk = :pk").set("#mused = :used").set("#mrem = :rem")
                .name("#mpk", TeamItems.SEAT_PERIOD_KEY).name("#mused", TeamItems.SEAT_USED).name("#mrem", TeamItems.SEAT_REMAINING)
                .name("#mcap", TeamItems.SEAT_CAP).name("#own", TeamItems.SEAT_OWN_LIMIT).name("#mheld", TeamItems.SEAT_HELD)
                .value(":pk", team.periodKey()).value(":used", used).value(":rem", cap.orElse(0L) - used);
        cap.ifPresentOrElse(c -> update.set("#mcap = :cap").value(":cap", c), () -> update.remove("#mcap"));
        ownAfter.ifPresentOrElse(o -> update.set("#own = :own").value(":own", o), () -> update.remove("#own"));
        // The counters and limits as read: an admission, a close or another setter in between makes us read again.
        update.when("attribute_exists(PK)");
        asRead(update, seat, "#mpk", TeamItems.SEAT_PERIOD_KEY, ":readPk");
        asRead(update, seat, "#mused", TeamItems.SEAT_USED, ":readUsed");
        asRead(update, seat, "#mheld", TeamItems.SEAT_HELD, ":readHeld");
        asRead(update, seat, "#mcap", TeamItems.SEAT_CAP, ":readCap");
        asRead(update, seat, "#own", TeamItems.SEAT_OWN_LIMIT, ":readOwn");
        Tx.Action action = update.label("seat counters as read").add();
        if (actor != null) {
            audit.record(tx, AuditEntry.of(team.orgId(), actor, "team.member-limit-changed",
                    new AuditEntry.Target("member", Item.str(seat, "userId")),
                    AuditEntry.state("teamId", team.teamId(), "limit", ownBefore.orElse(null), "memberCap", num(seat, TeamItems.SEAT_CAP).orElse(null)),
                    AuditEntry.state("teamId", team.teamId(), "limit", ownAfter.orElse(null), "memberCap", cap.orElse(null), "memberUsed", used),
                    clock.instant()));
        }
        return tx.commit().committedUnlessRaced(action);
    }

    private static void asRead(Tx.Write update, Map<String, AttributeValue> seat, String name, String attribute, String placeholder) {
        AttributeValue read = seat.get(attribute);
        if (read == null) {
            update.when("attribute_not_exists(" + name + ")");
        } else {
            update.when(name + " = " + placeholder).value(placeholder, read);
        }
    }

    private static Optional<Long> num(Map<String, AttributeValue> item, String attribute) {
        return item.containsKey(attribute) ? Optional.of(Item.num(item, attribute)) : Optional.empty();
    }
}
