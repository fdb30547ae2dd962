package com.enterpriseadmin.credit;

import com.enterpriseadmin.audit.AuditEntry;
import com.enterpriseadmin.audit.AuditStore;
import com.enterpriseadmin.auth.Action;
import com.enterpriseadmin.auth.Caller;
import com.enterpriseadmin.auth.Policy;
import com.enterpriseadmin.error.DomainException.NotFound;
import com.enterpriseadmin.error.DomainException.PreconditionFailed;
import com.enterpriseadmin.store.Db;
import com.enterpriseadmin.store.Ids;
import com.enterpriseadmin.store.Keys;
import com.enterpriseadmin.team.Budget;
import com.enterpriseadmin.team.Periods;
import com.enterpriseadmin.team.Team;
import com.enterpriseadmin.team.TeamItems;
import java.time.Clock;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.CancellationReason;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItem;
import software.amazon.awssdk.services.dynamodb.model.Update;

/**
 * {@code PUT .../teams/{teamId}/budget}: the seed's "credit limit" and "Credit Budget" switch.
 * Optimistic concurrency on the team's {@code version} ({@code If-Match}, 412 on mismatch). The
 * counters are never recounted: {@code remaining} moves by the change of the limit, so concurrent
 * consumption stays exact. Lowering a limit below what was consumed is allowed and simply blocks
 * further consumption. Changing the period carries the current period's consumption into the new
 * period ({@code periodCarry}), so a switch never grants a fresh budget. Audited with before/after.
 */
public final class BudgetAssignment {
    private static final int MAX_ATTEMPTS = 8;

    private final Policy policy;
    private final CreditStore store;
    private final Db db;
    private final AuditStore audit;
    private final Clock clock;

    public BudgetAssignment(Policy policy, CreditStore store, Db db, AuditStore audit, Clock clock) {
        this.policy = policy;
        this.store = store;
        this.db = db;
        this.audit = audit;
        this.clock = clock;
    }

    public Team assign(Caller caller, String orgId, String teamId, Budget budget, Optional<Long> ifMatch) {
        policy.require(caller, orgId, Action.SET_BUDGET);
        for (int attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
            Team team = store.currentTeam(orgId, teamId, clock.instant());
            if (ifMatch.isPresent() && ifMatch.get() != team.version()) {
                throw new PreconditionFailed("version-mismatch", "the team changed since version " + ifMatch.get()
                        + " (now " + team.version() + "); read it again and retry").with("currentVersion", team.version());
            }
            Instant now = clock.instant();
            boolean periodChanged = team.budget().period() != budget.period();
            // A switched period gets a key of its own (suffixed with the switch time), so that entries of an
            // earlier period with the same base key are never folded into it twice.
            String newKey = periodChanged ? Periods.keyFor(budget.period(), now) + "#" + Ids.at(now) : team.periodKey();
            long delta = budget.storedLimit() - team.budget().storedLimit();

            Map<String, String> names = new HashMap<>(Map.of("#mode", TeamItems.MODE, "#limit", TeamItems.LIMIT, "#period", TeamItems.PERIOD,
                    "#periodKey", TeamItems.PERIOD_KEY, "#rem", TeamItems.REMAINING, "#version", TeamItems.VERSION, "#seq", TeamItems.SEQ));
            Map<String, AttributeValue> values = new HashMap<>(Map.of(
                    ":mode", AttributeValue.fromS(budget.mode().name()),
                    ":limit", AttributeValue.fromN(Long.toString(budget.storedLimit())),
                    ":period", AttributeValue.fromS(budget.period().name()),
                    ":newKey", AttributeValue.fromS(newKey),
                    ":delta", AttributeValue.fromN(Long.toString(delta)),
                    ":one", AttributeValue.fromN("1"),
                    ":v", AttributeValue.fromN(Long.toString(team.version())),
                    ":oldLimit", AttributeValue.fromN(Long.toString(team.budget().storedLimit())),
                    ":oldKey", AttributeValue.fromS(team.periodKey())));
            String expression = "SET #mode = :mode, #limit = :limit, #period = :period, #periodKey = :newKey, #rem = #rem + :delta, "
                    + "#version = #version + :one, #seq = #seq + :one";
            if (periodChanged) {
                expression += ", #carry = #pc";
                names.put("#carry", TeamItems.PERIOD_CARRY);
                names.put("#pc", TeamItems.PERIOD_CONSUMED);
            }
            TransactWriteItem update = TransactWriteItem.builder().update(Update.builder().tableName(db.table())
                    .key(Keys.team(orgId, teamId).toMap())
                    .updateExpression(expression)
                    .conditionExpression("#version = :v AND #limit = :oldLimit AND #periodKey = :oldKey")
                    .expressionAttributeNames(names).expressionAttributeValues(values).build()).build();
            AuditEntry entry = AuditEntry.of(orgId, caller.userId(), "team.budget-changed", new AuditEntry.Target("team", teamId),
                    state(team.budget()), state(budget), now);
            List<CancellationReason> reasons = db.transact(List.of(update, audit.put(entry)));
            if (reasons.isEmpty()) {
                return store.team(orgId, teamId).orElseThrow(() -> new NotFound("team-not-found", "no such team"));
            }
            if (!Db.explainable(reasons)) {
                throw Db.unexpected(reasons);
            }
            Db.backoffSleep(attempt);
        }
        throw new com.enterpriseadmin.error.DomainException.Busy("the team is busy with concurrent changes; retry");
    }

    private static Map<String, Object> state(Budget b) {
        return AuditEntry.state("mode", b.mode(), "limit", b.limit(), "period", b.period());
    }
}
