package com.enterpriseadmin.credit;

import com.enterpriseadmin.audit.AuditEntry;
import com.enterpriseadmin.auth.Action;
import com.enterpriseadmin.auth.Caller;
import com.enterpriseadmin.auth.Policy;
import com.enterpriseadmin.error.DomainException.PreconditionFailed;
import com.enterpriseadmin.store.Ids;
import com.enterpriseadmin.store.Retry;
import com.enterpriseadmin.team.Budget;
import com.enterpriseadmin.team.MemberCaps;
import com.enterpriseadmin.team.Periods;
import com.enterpriseadmin.team.Team;
import java.time.Clock;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;

/**
 * {@code PUT .../teams/{teamId}/budget}: the seed's "credit limit" and "Credit Budget" switch.
 * Optimistic concurrency on the team's {@code version} ({@code If-Match}, 412 on mismatch). The
 * counters are never recounted: {@code remaining} moves by the change of the limit, so concurrent
 * consumption stays exact. Lowering a limit below what was consumed is allowed and simply blocks
 * further consumption. Changing the period carries the current period's consumption into the new
 * period ({@code periodCarry}), so a switch never grants a fresh budget. Audited with before/after.
 */
public final class BudgetAssignment {
    private final Policy policy;
    private final CreditStore store;
    private final Clock clock;
    private final Optional<MemberCaps> caps;

    public BudgetAssignment(Policy policy, CreditStore store, Clock clock) {
        this(policy, store, clock, null);
    }

    public BudgetAssignment(Policy policy, CreditStore store, Clock clock, MemberCaps caps) {
        this.policy = policy;
        this.store = store;
        this.clock = clock;
        this.caps = Optional.ofNullable(caps);
    }

    public Team assign(Caller caller, String orgId, String teamId, Budget budget, Optional<Long> ifMatch) {
        policy.require(caller, orgId, Action.SET_BUDGET);
        java.util.concurrent.atomic.AtomicReference<Team> before = new java.util.concurrent.atomic.AtomicReference<>();
        Team changed = change(caller, orgId, teamId, budget, ifMatch, before);
        if (!java.util.Objects.equals(before.get().budget().memberLimit(), budget.memberLimit())) {
            // The team's member limit, applied to every seat without its own limit right after the change commits.
            caps.ifPresent(c -> c.applyTeamLimit(orgId, teamId));
        }
        return changed;
    }

    private Team change(Caller caller, String orgId, String teamId, Budget budget, Optional<Long> ifMatch,
                        java.util.concurrent.atomic.AtomicReference<Team> before) {
        return Retry.until("the team is busy with concurrent changes; retry", n -> {
            Team team = store.currentTeam(orgId, teamId, clock.instant());
            before.set(team);
            if (ifMatch.isPresent() && ifMatch.get() != team.version()) {
                throw new PreconditionFailed("version-mismatch", "the team changed since version " + ifMatch.get()
                        + " (now " + team.version() + "); read it again and retry").with("currentVersion", team.version());
            }
            Instant now = clock.instant();
            // A switched period gets a key of its own (suffixed with the switch time), so that entries of an
            // earlier period with the same base key are never folded into it twice.
            String periodKey = team.budget().period() != budget.period() ? Periods.keyFor(budget.period(), now) + "#" + Ids.at(now) : team.periodKey();
            AuditEntry entry = AuditEntry.of(orgId, caller.userId(), "team.budget-changed", new AuditEntry.Target("team", teamId),
                    state(team.budget()), state(budget), now);
            if (!store.changeBudget(team, budget, periodKey, entry)) {
                // The team moved since it was read (or the write lost a race): read it again.
                return Optional.empty();
            }
            return Optional.of(store.team(orgId, teamId).orElseThrow(CreditStore::teamNotFound));
        });
    }

    private static Map<String, Object> state(Budget b) {
        return AuditEntry.state("mode", b.mode(), "limit", b.limit(), "period", b.period(), "memberLimit", b.memberLimit());
    }
}
