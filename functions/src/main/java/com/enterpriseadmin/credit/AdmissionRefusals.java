package com.enterpriseadmin.credit;

import com.enterpriseadmin.auth.Standing;
import com.enterpriseadmin.auth.TeamRole;
import com.enterpriseadmin.error.DomainException.Conflict;
import com.enterpriseadmin.error.DomainException.Forbidden;
import com.enterpriseadmin.observability.Metrics;
import com.enterpriseadmin.team.Budget;
import com.enterpriseadmin.team.Team;
import java.util.Map;

/**
 * Names the rule that refused an admission (a consumption or a hold) after its transaction was
 * cancelled by a condition. The conditions say only that something refused; fresh consistent reads,
 * in the order of the rules, say what — and if no rule refuses any more, the state moved under the
 * attempt and it is simply made again.
 *
 * <p>A refusal tells the caller only what they may see elsewhere (docs/domain.md, "Credits"): the
 * organization's figures ({@code available}) only to its OWNER/ADMINs, the team's figures
 * ({@code remaining}, {@code limit}, {@code periodConsumed}, {@code held}) also to that team's ADMINs;
 * a team MEMBER learns the rule and the amount asked for. The body is decided here, for the caller
 * who made the request, and is what an idempotent replay answers byte for byte.
 */
final class AdmissionRefusals {
    private final CreditStore store;

    AdmissionRefusals(CreditStore store) {
        this.store = store;
    }

    /**
     * Throws the refusal that holds now for {@code amount} credits of {@code caller} in the team; returns if none does.
     * {@code maxOpenHolds} is the cap on the caller's open holds for a hold placement (0 for a consumption: not checked).
     */
    void throwIfStillRefused(String orgId, String teamId, Standing caller, long amount, int maxOpenHolds) {
        String userId = caller.userId();
        boolean orgFigures = caller.role().isAdministrator();
        boolean teamFigures = orgFigures || caller.teams().get(teamId) == TeamRole.ADMIN;
        if (!store.isActiveMember(orgId, userId)) {
            counted("not-an-active-member");
            throw new Forbidden("not-an-active-member", "your membership of this organization is not active");
        }
        if (!store.isTeamMember(orgId, teamId, userId)) {
            counted("not-a-team-member");
            throw new Forbidden("not-a-team-member", "you are not a member of this team");
        }
        Team team = store.team(orgId, teamId).orElseThrow(CreditStore::teamNotFound);
        if (!team.active()) {
            counted("team-archived");
            throw teamArchived();
        }
        if (team.budget().mode() == Budget.Mode.LIMITED && team.remaining() < amount) {
            counted("team-budget-exhausted");
            if (!teamFigures) {
                throw new Conflict("team-budget-exhausted", "the team's budget cannot cover " + amount
                        + " credits this period; a team administrator can tell you more").with("requested", amount);
            }
            throw new Conflict("team-budget-exhausted", "the team's budget has " + Math.max(0, team.remaining()) + " credits left this period; "
                    + amount + " were requested")
                    .with("requested", amount)
                    .with("remaining", Math.max(0, team.remaining()))
                    .with("limit", team.budget().limit())
                    .with("periodConsumed", team.periodConsumed())
                    .with("held", team.held())
                    .with("period", team.periodKey());
        }
        Account account = store.account(orgId).orElse(Account.EMPTY);
        if (account.available() < amount) {
            counted("organization-credits-exhausted");
            if (!orgFigures) {
                throw new Conflict("organization-credits-exhausted", "the organization's credits cannot cover " + amount
                        + " credits; an organization administrator can top up").with("requested", amount);
            }
            throw new Conflict("organization-credits-exhausted", "the organization has " + account.available() + " credits available; "
                    + amount + " were requested; an administrator can top up")
                    .with("requested", amount)
                    .with("available", account.available());
        }
        if (maxOpenHolds > 0) {
            long open = store.openHoldCount(orgId, userId);
            if (open >= maxOpenHolds) {
                counted("too-many-open-holds");
                throw new Conflict("too-many-open-holds", "you have " + open + " open holds in this organization (at most " + maxOpenHolds
                        + "); capture or release one first").with("openHolds", open).with("maxOpenHolds", maxOpenHolds);
            }
        }
    }

    static Conflict teamArchived() {
        return new Conflict("team-archived", "the team is archived: it accepts no consumption");
    }

    private static void counted(String reason) {
        Metrics.count("AdmissionsRefused", 1, Map.of("Reason", reason));
    }
}
