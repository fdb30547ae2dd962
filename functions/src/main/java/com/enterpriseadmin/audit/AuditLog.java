package com.enterpriseadmin.audit;

import com.enterpriseadmin.auth.Action;
import com.enterpriseadmin.auth.Caller;
import com.enterpriseadmin.auth.Policy;
import com.enterpriseadmin.error.DomainException.InvalidInput;
import com.enterpriseadmin.http.PageRequest;
import com.enterpriseadmin.store.Page;
import java.time.Instant;
import java.util.Optional;

/** The use case behind {@code GET /v1/organizations/{orgId}/audit-log} (administrators). */
public final class AuditLog {
    private final Policy policy;
    private final AuditStore store;

    public AuditLog(Policy policy, AuditStore store) {
        this.policy = policy;
        this.store = store;
    }

    /** Entries newest first; {@code from} inclusive, {@code to} exclusive. */
    public Page<AuditEntry> list(Caller caller, String orgId, Optional<Instant> from, Optional<Instant> to, PageRequest page) {
        policy.require(caller, orgId, Action.VIEW_AUDIT);
        if (from.isPresent() && to.isPresent() && !from.get().isBefore(to.get())) {
            throw new InvalidInput("from", "'from' must be before 'to'");
        }
        return store.list(orgId, from, to, page.cursor(), page.limit());
    }
}
