package com.enterpriseadmin.audit;

import com.enterpriseadmin.auth.Action;
import com.enterpriseadmin.auth.Caller;
import com.enterpriseadmin.auth.Policy;
import com.enterpriseadmin.error.DomainException.InvalidInput;
import com.enterpriseadmin.http.PageRequest;
import com.enterpriseadmin.store.Page;
import com.enterpriseadmin.user.UserEmails;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;

/** The use case behind {@code GET /v1/organizations/{orgId}/audit-log} (administrators). */
public final class AuditLog {
    private final Policy policy;
    private final AuditStore store;
    private final UserEmails emails;

    public AuditLog(Policy policy, AuditStore store, UserEmails emails) {
        this.policy = policy;
        this.store = store;
        this.emails = emails;
    }

    /** An entry as listed: the entry with its actor's e-mail (none for {@code operator}, {@code system}, billing). */
    public record Listed(String entryId, String orgId, String actor, String actorEmail, String action, AuditEntry.Target target,
                         Map<String, Object> before, Map<String, Object> after, Instant at) {
        static Listed of(AuditEntry e, String actorEmail) {
            return new Listed(e.entryId(), e.orgId(), e.actor(), actorEmail, e.action(), e.target(), e.before(), e.after(), e.at());
        }
    }

    /** Entries newest first; {@code from} inclusive, {@code to} exclusive; {@code filter}: exact actor, action, target id. */
    public Page<Listed> list(Caller caller, String orgId, Optional<Instant> from, Optional<Instant> to, AuditStore.Filter filter, PageRequest page) {
        policy.require(caller, orgId, Action.VIEW_AUDIT);
        if (from.isPresent() && to.isPresent() && !from.get().isBefore(to.get())) {
            throw new InvalidInput("from", "'from' must be before 'to'");
        }
        check("actor", filter.actor());
        check("action", filter.action());
        check("target", filter.targetId());
        Page<AuditEntry> found = store.list(orgId, from, to, filter, page.cursor(), page.limit());
        Map<String, String> byId = emails.of(orgId, found.items().stream().map(AuditEntry::actor).toList());
        return found.map(e -> Listed.of(e, byId.get(e.actor())));
    }

    private static void check(String name, Optional<String> value) {
        // Any text is a filter (one that matches nothing is an empty page); only its length is bounded.
        if (value.isPresent() && value.get().codePointCount(0, value.get().length()) > 256) {
            throw new InvalidInput(name, "'" + name + "' must be at most 256 characters");
        }
    }
}
