package com.enterpriseadmin.notification;

import com.enterpriseadmin.audit.AuditEntry;
import com.enterpriseadmin.auth.Action;
import com.enterpriseadmin.auth.Caller;
import com.enterpriseadmin.auth.Policy;
import com.enterpriseadmin.auth.Standing;
import com.enterpriseadmin.auth.TeamRole;
import com.enterpriseadmin.error.DomainException.Forbidden;
import com.enterpriseadmin.error.DomainException.InvalidInput;
import com.enterpriseadmin.error.DomainException.NotFound;
import com.enterpriseadmin.store.Ids;
import java.time.Clock;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Budget alerts through the API: the organization's open and recent alerts (OWNER/ADMIN: all; a team ADMIN: the
 * teams they administer; anyone else 403), and a team's alert thresholds (who may set the budget may set them).
 */
public final class Alerts {
    /** The most recent alerts a listing returns. */
    public static final int RECENT = 50;
    /** At most this many thresholds per team. */
    public static final int MAX_THRESHOLDS = 10;

    /** One alert as the API shows it ({@code teamId} absent for an organization's alert). */
    @com.fasterxml.jackson.annotation.JsonInclude(com.fasterxml.jackson.annotation.JsonInclude.Include.NON_NULL)
    public record AlertView(String alertId, String orgId, String teamId, String scope, String period, long threshold, String direction,
                            long usage, long limit, String at) {
        static AlertView of(NotificationStore.Alert a) {
            return new AlertView(a.alertId(), a.orgId(), a.teamId(), a.teamId() == null ? "ORGANIZATION" : "TEAM", a.period(), a.threshold(),
                    a.direction().name(), a.usage(), a.limit(), Ids.at(a.at()));
        }
    }

    /** {@code open}: crossings not (yet) recovered, newest first; {@code recent}: the latest alerts of either direction. */
    public record AlertList(List<AlertView> open, List<AlertView> recent) {}

    /** A team's thresholds (percent of its limit, ascending). Also the body of the PUT. */
    public record Thresholds(List<Integer> thresholds) {}

    /**
     * The organization's low-balance alert: fires when {@code available} falls below {@code amount} credits, or below
     * {@code percentOfPurchased} % of the credits ever purchased; exactly one of the two. Also the body of the PUT.
     */
    @com.fasterxml.jackson.annotation.JsonInclude(com.fasterxml.jackson.annotation.JsonInclude.Include.NON_NULL)
    public record LowBalance(Long amount, Integer percentOfPurchased) {
        /** The request body: an object with exactly one of the two, a whole number (no null, nothing else). */
        public static LowBalance from(com.fasterxml.jackson.databind.JsonNode body) {
            if (body == null || !body.isObject() || body.size() != 1 || !(body.has("amount") || body.has("percentOfPurchased"))) {
                throw new InvalidInput("amount", "give exactly one of amount (credits) or percentOfPurchased (1 to 100)");
            }
            String field = body.has("amount") ? "amount" : "percentOfPurchased";
            com.fasterxml.jackson.databind.JsonNode value = body.get(field);
            if (!value.isIntegralNumber() || !value.canConvertToLong()) {
                throw new InvalidInput(field, "must be a whole number");
            }
            long n = value.longValue();
            return field.equals("amount") ? new LowBalance(n, null) : new LowBalance(null, n > 1000 ? 1000 : (int) Math.max(n, -1));
        }
    }

    private final Policy policy;
    private final NotificationStore store;
    private final Clock clock;

    public Alerts(Policy policy, NotificationStore store, Clock clock) {
        this.policy = policy;
        this.store = store;
        this.clock = clock;
    }

    public AlertList list(Caller caller, String orgId) {
        Standing member = policy.require(caller, orgId, Action.READ_ORG_NAME);
        boolean admin = member.role().isAdministrator();
        Set<String> teams = new HashSet<>();
        member.teams().forEach((teamId, role) -> {
            if (role == TeamRole.ADMIN) {
                teams.add(teamId);
            }
        });
        if (!admin && teams.isEmpty()) {
            throw new Forbidden("forbidden", "your role does not allow view alerts here");
        }
        List<NotificationStore.Alert> visible = store.alerts(orgId).stream()
                .filter(a -> admin || (a.teamId() != null && teams.contains(a.teamId())))
                .toList();
        Set<String> recovered = new HashSet<>();
        visible.stream().filter(a -> a.direction() == BudgetAlerts.Direction.RECOVERED).forEach(a -> recovered.add(episode(a)));
        List<AlertView> open = visible.stream()
                .filter(a -> a.direction() == BudgetAlerts.Direction.CROSSED && !recovered.contains(episode(a)))
                .map(AlertView::of).toList();
        return new AlertList(open, visible.stream().limit(RECENT).map(AlertView::of).toList());
    }

    private static String episode(NotificationStore.Alert a) {
        return a.scope() + "|" + a.period() + "|" + a.threshold();
    }

    public Thresholds setThresholds(Caller caller, String orgId, String teamId, Thresholds body) {
        Standing member = policy.require(caller, orgId, Action.SET_BUDGET);
        List<Integer> thresholds = validate(body);
        Instant now = clock.instant();
        AuditEntry audited = AuditEntry.of(orgId, member.userId(), "team.alert-thresholds-changed", new AuditEntry.Target("team", teamId),
                null, AuditEntry.state("thresholds", thresholds), now);
        if (!Ids.isWellFormed(teamId) || !store.setThresholds(orgId, teamId, thresholds, audited)) {
            throw new NotFound("team-not-found", "no such team in this organization");
        }
        return new Thresholds(thresholds);
    }

    static List<Integer> validate(Thresholds body) {
        if (body == null || body.thresholds() == null || body.thresholds().isEmpty()) {
            throw new InvalidInput("thresholds", "is required: 1 to " + MAX_THRESHOLDS + " percentages of the team's limit, e.g. [50, 80, 100]");
        }
        if (body.thresholds().size() > MAX_THRESHOLDS) {
            throw new InvalidInput("thresholds", "holds at most " + MAX_THRESHOLDS + " values");
        }
        for (Integer t : body.thresholds()) {
            if (t == null || t < 1 || t > 100) {
                throw new InvalidInput("thresholds", "each threshold is a whole percentage from 1 to 100");
            }
        }
        if (new HashSet<>(body.thresholds()).size() != body.thresholds().size()) {
            throw new InvalidInput("thresholds", "must not repeat a value");
        }
        return body.thresholds().stream().sorted().toList();
    }

    public LowBalance setLowBalance(Caller caller, String orgId, LowBalance body) {
        Standing member = policy.require(caller, orgId, Action.UPDATE_ORG);
        if (body == null || (body.amount() == null) == (body.percentOfPurchased() == null)) {
            throw new InvalidInput("amount", "give exactly one of amount (credits) or percentOfPurchased (1 to 100)");
        }
        if (body.amount() != null && (body.amount() < 1 || body.amount() > com.enterpriseadmin.team.Budget.MAX_LIMIT)) {
            throw new InvalidInput("amount", "must be between 1 and " + com.enterpriseadmin.team.Budget.MAX_LIMIT);
        }
        if (body.percentOfPurchased() != null && (body.percentOfPurchased() < 1 || body.percentOfPurchased() > 100)) {
            throw new InvalidInput("percentOfPurchased", "must be a whole percentage from 1 to 100");
        }
        java.util.Map<String, software.amazon.awssdk.services.dynamodb.model.AttributeValue> setting = body.amount() != null
                ? java.util.Map.of("amount", software.amazon.awssdk.services.dynamodb.model.AttributeValue.fromN(body.amount().toString()))
                : java.util.Map.of("percentOfPurchased", software.amazon.awssdk.services.dynamodb.model.AttributeValue.fromN(body.percentOfPurchased().toString()));
        AuditEntry audited = AuditEntry.of(orgId, member.userId(), "organization.low-balance-alert-changed", AuditEntry.Target.organization(orgId),
                null, AuditEntry.state("amount", body.amount(), "percentOfPurchased", body.percentOfPurchased()), clock.instant());
        if (!store.setLowBalance(orgId, setting, audited)) {
            throw Policy.notFound();
        }
        return body;
    }
}
