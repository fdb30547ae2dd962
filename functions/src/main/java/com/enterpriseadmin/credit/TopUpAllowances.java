package com.enterpriseadmin.credit;

import com.enterpriseadmin.audit.AuditEntry;
import com.enterpriseadmin.auth.Policy;
import com.enterpriseadmin.error.DomainException.InvalidInput;
import com.enterpriseadmin.store.Ids;
import java.time.Clock;
import java.time.Instant;
import java.util.Optional;

/**
 * The operator's setting of an organization's self-service top-up allowance: how many credits its
 * administrators may add themselves ({@code POST .../credits/top-ups}) in total, beyond what billing
 * credits. Absent, the default applies (template parameter {@code SelfServiceTopUpAllowance}); -1 is unlimited.
 * Each change is audited (actor {@code operator}) in its own transaction.
 */
public final class TopUpAllowances {
    public static final long UNLIMITED = -1;

    private final CreditStore store;
    private final long defaultAllowance;
    private final Clock clock;

    public TopUpAllowances(CreditStore store, long defaultAllowance, Clock clock) {
        this.store = store;
        this.defaultAllowance = defaultAllowance;
        this.clock = clock;
    }

    /** The allowance after a change: the organization's own setting (empty: the default), what was used, what is left (-1: unlimited). */
    public record Status(String orgId, Optional<Long> setting, long defaultAllowance, long used, long left) {}

    /** {@code value}: a whole number ≥ 0, {@code unlimited}, or {@code default} (remove the organization's setting). */
    public static Optional<Long> parse(String value) {
        return switch (value) {
            case "default" -> Optional.empty();
            case "unlimited" -> Optional.of(UNLIMITED);
            default -> {
                try {
                    long n = Long.parseLong(value);
                    if (n >= 0 && n <= Requests.MAX_AMOUNT * 1000) {
                        yield Optional.of(n);
                    }
                } catch (NumberFormatException ignored) {
                    // below
                }
                throw new InvalidInput("allowance", "must be a whole number of credits, 'unlimited' or 'default'");
            }
        };
    }

    public Status set(String orgId, Optional<Long> setting, String reason) {
        if (!Ids.isWellFormed(orgId)) {
            throw Policy.notFound();
        }
        Instant now = clock.instant();
        CreditStore.Allowance before = store.topUpAllowance(orgId);
        AuditEntry audited = AuditEntry.of(orgId, AuditEntry.OPERATOR, "credits.top-up-allowance-set", AuditEntry.Target.organization(orgId),
                AuditEntry.state("allowance", before.setting().map(Object::toString).orElse("default"), "used", before.used()),
                AuditEntry.state("allowance", setting.map(Object::toString).orElse("default"), "default", defaultAllowance, "reason", reason), now);
        if (!store.setTopUpAllowance(orgId, setting, audited)) {
            throw Policy.notFound();
        }
        CreditStore.Allowance after = store.topUpAllowance(orgId);
        long left = after.left(defaultAllowance);
        return new Status(orgId, after.setting(), defaultAllowance, after.used(), left == Long.MAX_VALUE ? UNLIMITED : left);
    }
}
