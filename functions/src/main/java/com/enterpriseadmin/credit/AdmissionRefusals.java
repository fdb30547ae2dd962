package com.enterpriseadmin.credit;

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
 */
final class AdmissionRefusals {
    private final CreditStore store;

    AdmissionRefusals(CreditStore store) {
        this.store = store;
    }

    /** Throws the refusal that holds now for {@code amount} credits of {@code userId} in the team; returns if none does. */
    void throwIfStillRefused(String orgId, String teamId, String userId, long amount) {
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
            throw new Conflict("team-budget-exhausted", "the team's budget has " + Math.max(0, team.remaining()) + " credits left this period; "
                    + amount + " were requested")
                    .with("remaining", Math.max(0, team.remaining()))
                    .with("limit", team.budget().limit())
                    .with("periodConsumed", team.periodConsumed())
                    .with("held", team.held())
                    .with("period", team.periodKey());
        }
        Account account = store.account(orgId).orElse(Account.EMPTY);
        if (account.available() < amount) {
            counted("organization-credits-exhausted");
            throw new Conflict("organization-credits-exhausted", "the organization has " + account.available() + " credits available; "
                    + amount + " were requested; an administrator can top up")
                    .with("available", account.available());
        }
    }

    static Conflict teamArchived() {
        return new Conflict("team-archived", "the team is archived: it accepts no consumption");
    }

    private static void counted(String reason) {
        Metrics.count("AdmissionsRefused", 1, Map.of("Reason", reason));
    }
}
