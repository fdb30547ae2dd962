package com.enterpriseadmin.team;

import com.enterpriseadmin.error.DomainException.InvalidInput;
import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * A team's credit budget: {@code LIMITED} (hard cap {@code limit} per period) or {@code SHARED_POOL}
 * (no team cap; the team draws within the organization's available credits). Also the request
 * body of {@code PUT .../budget} and the {@code budget} member of create-team. {@code memberLimit} (optional,
 * any mode) caps what each member may use per period (consumed + held), unless the member has their own limit.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Budget(Mode mode, Long limit, Period period, Long memberLimit) {
    public static final long MAX_LIMIT = 1_000_000_000_000L;

    public enum Mode { LIMITED, SHARED_POOL }

    public enum Period { NONE, MONTHLY }

    /** A budget without a per-member cap. */
    public Budget(Mode mode, Long limit, Period period) {
        this(mode, limit, period, null);
    }

    @com.fasterxml.jackson.annotation.JsonCreator
    public Budget {
        if (memberLimit != null && (memberLimit < 0 || memberLimit > MAX_LIMIT)) {
            throw new InvalidInput("budget.memberLimit", "must be between 0 and " + MAX_LIMIT + ": what each member may use per period");
        }
        if (mode == null) {
            throw new InvalidInput("budget.mode", "is required: LIMITED or SHARED_POOL");
        }
        if (period == null) {
            period = Period.NONE;
        }
        if (mode == Mode.LIMITED) {
            if (limit == null) {
                throw new InvalidInput("budget.limit", "is required for a LIMITED budget");
            }
            if (limit < 0 || limit > MAX_LIMIT) {
                throw new InvalidInput("budget.limit", "must be between 0 and " + MAX_LIMIT);
            }
        } else if (limit != null) {
            throw new InvalidInput("budget.limit", "applies only to a LIMITED budget; a SHARED_POOL team has no cap");
        }
    }

    /** The cap used in arithmetic: a SHARED_POOL team is stored with limit 0 (its remaining is unused). */
    public long storedLimit() {
        return mode == Mode.LIMITED ? limit : 0L;
    }
}
