package com.enterpriseadmin.credit;

import com.enterpriseadmin.auth.Policy;
import com.enterpriseadmin.auth.Standing;
import com.enterpriseadmin.auth.TeamRole;
import com.enterpriseadmin.error.DomainException;
import com.enterpriseadmin.error.DomainException.Conflict;
import com.enterpriseadmin.error.DomainException.Forbidden;
import com.enterpriseadmin.observability.Metrics;
import com.enterpriseadmin.organization.Membership;
import com.enterpriseadmin.organization.OrganizationStore;
import com.enterpriseadmin.store.Item;
import com.enterpriseadmin.team.Budget;
import com.enterpriseadmin.team.Periods;
import com.enterpriseadmin.team.Team;
import com.enterpriseadmin.team.TeamItems;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * Names the rule that refused an admission (a consumption or a hold placement) from its cancelled
 * transaction alone: each refused condition comes back with the item as it was ({@code ALL_OLD}), so no
 * read is needed. The rules are named in a fixed order — membership, seat, team, account, open holds —
 * whatever order DynamoDB reports them in. A refused assumption (the caller's roles, the team's period)
 * is learned for the next attempt instead; a MONTHLY period that has ended is started here (the one rare
 * path that reads and writes before trying again).
 *
 * <p>A refusal tells the caller only what they may see elsewhere (docs/domain.md, "Credits"): the
 * organization's figures ({@code available}) only to its OWNER/ADMINs, the team's figures
 * ({@code remaining}, {@code limit}, {@code periodConsumed}, {@code held}) also to that team's ADMINs;
 * a team MEMBER learns the rule and the amount asked for. The caller's roles are those the transaction's
 * membership condition asserted (when it held, they are the stored ones), and the body decided here is
 * what an idempotent replay answers byte for byte.
 */
final class AdmissionRefusals {
    private final CreditStore store;
    private final AdmissionHints hints;
    private final Lanes lanes;

    AdmissionRefusals(CreditStore store, AdmissionHints hints, Lanes lanes) {
        this.store = store;
        this.hints = hints;
        this.lanes = lanes;
    }

    /** What a refused admission means. */
    sealed interface Reading {
        /** Answer this refusal; a {@code business} one is remembered under the key, a permission refusal claims nothing. */
        record Refusal(DomainException refusal, boolean business) implements Reading {}

        /** An assumption did not hold (roles, period) or the state moved: learned; make the attempt again. */
        record Again() implements Reading {}

        /** The account lane tried was short, another holds the amount: make the attempt again on that lane. */
        record OnLane(int lane) implements Reading {}
    }

    private static final Reading AGAIN = new Reading.Again();

    /** The permission refusal of the caller's membership as the cancellation showed it, if it refuses (absent, suspended, no seat). */
    Optional<DomainException> permission(CreditStore.Verdict verdict, CreditStore.Seat seat) {
        if (!verdict.refused(CreditStore.Rule.MEMBERSHIP)) {
            return Optional.empty();
        }
        Optional<Standing> standing = verdict.old(CreditStore.Rule.MEMBERSHIP).map(OrganizationStore::memberFromItem).map(Membership::standing);
        if (standing.isEmpty()) {
            return Optional.of(Policy.notFound());
        }
        if (!standing.get().active()) {
            return Optional.of(counted(new Forbidden("member-suspended", "your membership of this organization is suspended")));
        }
        if (!standing.get().teams().containsKey(seat.teamId())) {
            // Not seated. A team id that is no team of this organization (another organization's, or none at all:
            // the team guard saw no item) is the same 404 as any unknown id; a team of it without a seat is 403.
            boolean noSuchTeam = verdict.refused(CreditStore.Rule.TEAM) && verdict.old(CreditStore.Rule.TEAM).isEmpty();
            return Optional.of(counted(noSuchTeam ? CreditStore.teamNotFound() : notATeamMember()));
        }
        return Optional.empty();
    }

    /** Reads a cancellation of an admission of {@code amount} credits ({@code maxOpenHolds}: the cap of a placement, 0 for a consumption). */
    Reading read(CreditStore.Verdict verdict, CreditStore.Seat seat, long amount, int maxOpenHolds, Instant now) {
        return read(verdict, seat, CreditStore.LaneChoice.ONLY, amount, maxOpenHolds, now);
    }

    /** As above, for an attempt on account lane {@code lane}. */
    Reading read(CreditStore.Verdict verdict, CreditStore.Seat seat, CreditStore.LaneChoice lane, long amount, int maxOpenHolds, Instant now) {
        Optional<DomainException> permission = permission(verdict, seat);
        if (permission.isPresent()) {
            return new Reading.Refusal(permission.get(), false);
        }
        if (verdict.refused(CreditStore.Rule.MEMBERSHIP)) {
            // Seated and active, but with other roles than assumed: they decide what a refusal may tell.
            Standing standing = OrganizationStore.memberFromItem(verdict.old(CreditStore.Rule.MEMBERSHIP).orElseThrow()).standing();
            hints.roles(seat.orgId(), seat.userId(), seat.teamId(), new AdmissionHints.Roles(standing.role(), standing.teams().get(seat.teamId())));
            return AGAIN;
        }
        if (verdict.refused(CreditStore.Rule.SEAT) && verdict.old(CreditStore.Rule.SEAT).isEmpty()) {
            return new Reading.Refusal(counted(notATeamMember()), false);
        }
        if (verdict.refused(CreditStore.Rule.TEAM)) {
            Optional<Team> found = verdict.old(CreditStore.Rule.TEAM).map(TeamItems::fromItem);
            if (found.isEmpty()) {
                return new Reading.Refusal(counted(CreditStore.teamNotFound()), true);
            }
            Team team = found.get();
            if (!team.active()) {
                return new Reading.Refusal(counted(teamArchived()), true);
            }
            if (learnedPeriod(team, seat.periodKey(), now)) {
                return AGAIN;
            }
            if (team.budget().mode() == Budget.Mode.LIMITED && team.remaining() < amount) {
                return new Reading.Refusal(counted(budgetExhausted(team, seat, amount)), true);
            }
        }
        if (verdict.refused(CreditStore.Rule.SEAT)) {
            // The seat exists: its member-cap counters are of an earlier period (started now, as the team is in the
            // period assumed), or the member's cap is reached.
            Map<String, AttributeValue> item = verdict.old(CreditStore.Rule.SEAT).orElseThrow();
            String memberPeriod = Item.str(item, TeamItems.SEAT_PERIOD_KEY);
            if (memberPeriod != null && !memberPeriod.equals(seat.periodKey())) {
                if (!verdict.refused(CreditStore.Rule.TEAM)) {
                    store.startMemberPeriod(seat.orgId(), seat.teamId(), seat.userId(), item, seat.periodKey());
                }
                return AGAIN;
            }
            if (item.containsKey(TeamItems.SEAT_CAP) && Item.num(item, TeamItems.SEAT_REMAINING) < amount) {
                return new Reading.Refusal(counted(memberBudgetExhausted(item, amount)), true);
            }
        }
        if (verdict.refused(CreditStore.Rule.ACCOUNT)) {
            Optional<Map<String, AttributeValue>> old = verdict.old(CreditStore.Rule.ACCOUNT);
            if (lane.lane() == 0 && old.isPresent() && AccountLanes.active(old.get()) != lane.lanes()) {
                // The number of lanes changed since this process last saw it: learned, and the attempt made again.
                lanes.learn(seat.orgId(), AccountLanes.active(old.get()));
                return AGAIN;
            }
            long available = old.map(CreditItems::account).orElse(Account.EMPTY).available();
            if (available < amount) {
                if (lane.lanes() == 1 && (old.isEmpty() || AccountLanes.items(old.get()) == 1)) {
                    // One lane: the account item is the organization's whole available credit.
                    return new Reading.Refusal(counted(creditsExhausted(available, seat, amount)), true);
                }
                switch (lanes.whenShort(seat.orgId(), amount, lane.lane())) {
                    case Lanes.Short.Exhausted exhausted -> {
                        return new Reading.Refusal(counted(creditsExhausted(exhausted.available(), seat, amount)), true);
                    }
                    case Lanes.Short.Use use -> {
                        return new Reading.OnLane(use.lane());
                    }
                    case Lanes.Short.Again again -> {
                        return AGAIN;
                    }
                }
            }
        }
        if (verdict.refused(CreditStore.Rule.OPEN_HOLDS)) {
            long open = verdict.old(CreditStore.Rule.OPEN_HOLDS).map(item -> Item.num(item, CreditItems.OPEN_HOLDS)).orElse(0L);
            if (open >= maxOpenHolds) {
                return new Reading.Refusal(counted(new Conflict("too-many-open-holds", "you have " + open + " open holds in this organization (at most "
                        + maxOpenHolds + "); capture or release one first").with("openHolds", open).with("maxOpenHolds", maxOpenHolds)), true);
            }
        }
        return AGAIN;
    }

    /**
     * True when {@code team} (as a refused condition saw it) is in another period than {@code assumed}: its
     * period is learned for the next attempt, and a MONTHLY period that has ended is started now.
     */
    boolean learnedPeriod(Team team, String assumed, Instant now) {
        if (team.periodKey().equals(assumed)) {
            return false;
        }
        hints.period(team.orgId(), team.teamId(), team.budget().period(), team.periodKey());
        String month = Periods.month(now);
        if (team.budget().period() == Budget.Period.MONTHLY && team.periodKey().compareTo(month) < 0) {
            store.rollover(team.orgId(), team.teamId(), month, now);
            hints.period(team.orgId(), team.teamId(), Budget.Period.MONTHLY, month);
        }
        return true;
    }

    private static DomainException budgetExhausted(Team team, CreditStore.Seat seat, long amount) {
        boolean teamFigures = seat.role().isAdministrator() || seat.teamRole() == TeamRole.ADMIN;
        if (!teamFigures) {
            return new Conflict("team-budget-exhausted", "the team's budget cannot cover " + amount
                    + " credits this period; a team administrator can tell you more").with("requested", amount);
        }
        return new Conflict("team-budget-exhausted", "the team's budget has " + Math.max(0, team.remaining()) + " credits left this period; "
                + amount + " were requested")
                .with("requested", amount)
                .with("remaining", Math.max(0, team.remaining()))
                .with("limit", team.budget().limit())
                .with("periodConsumed", team.periodConsumed())
                .with("held", team.held())
                .with("period", team.periodKey());
    }

    /** The member's own figures: theirs to see, whatever their role. */
    private static DomainException memberBudgetExhausted(Map<String, AttributeValue> seat, long amount) {
        long remaining = Math.max(0, Item.num(seat, TeamItems.SEAT_REMAINING));
        return new Conflict("member-budget-exhausted", "your limit in this team has " + remaining + " credits left this period; "
                + amount + " were requested")
                .with("requested", amount)
                .with("remaining", remaining)
                .with("memberLimit", Item.num(seat, TeamItems.SEAT_CAP))
                .with("period", Item.str(seat, TeamItems.SEAT_PERIOD_KEY));
    }

    private static DomainException creditsExhausted(long available, CreditStore.Seat seat, long amount) {
        if (!seat.role().isAdministrator()) {
            return new Conflict("organization-credits-exhausted", "the organization's credits cannot cover " + amount
                    + " credits; an organization administrator can top up").with("requested", amount);
        }
        return new Conflict("organization-credits-exhausted", "the organization has " + available + " credits available; "
                + amount + " were requested; an administrator can top up")
                .with("requested", amount)
                .with("available", available);
    }

    static Forbidden notATeamMember() {
        return new Forbidden("not-a-team-member", "you are not a member of this team; a team or organization administrator can add you");
    }

    static Conflict teamArchived() {
        return new Conflict("team-archived", "the team is archived: it accepts no consumption");
    }

    private static <E extends DomainException> E counted(E refusal) {
        Metrics.count("AdmissionsRefused", 1, Map.of("Reason", refusal.code()));
        return refusal;
    }
}
