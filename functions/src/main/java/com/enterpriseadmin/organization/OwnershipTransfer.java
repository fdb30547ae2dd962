package com.enterpriseadmin.organization;

import com.enterpriseadmin.audit.AuditEntry;
import com.enterpriseadmin.audit.AuditEntry.Target;
import com.enterpriseadmin.auth.MemberStatus;
import com.enterpriseadmin.auth.OrgRole;
import com.enterpriseadmin.error.DomainException.Conflict;
import com.enterpriseadmin.error.DomainException.NotFound;
import com.enterpriseadmin.store.Retry;
import java.time.Clock;
import java.time.Instant;
import java.util.Optional;

/**
 * The operator/support action that moves ownership (never routed through the public API): in ONE
 * transaction the old owner becomes ADMIN, the new owner (an ACTIVE member) becomes OWNER, the
 * organization's {@code ownerId} changes, and an audit entry with actor {@code "operator"} is written.
 * Every write is conditioned on what was read, so the org always has exactly one owner.
 */
public final class OwnershipTransfer {
    private final OrganizationStore store;
    private final Clock clock;

    public OwnershipTransfer(OrganizationStore store, Clock clock) {
        this.store = store;
        this.clock = clock;
    }

    public record Result(String orgId, String previousOwnerId, String newOwnerId) {}

    public Result transfer(String orgId, String newOwnerId, String reason) {
        return Retry.until(attempt -> {
            Organization org = store.organization(orgId).orElseThrow(() -> new NotFound("organization-not-found", "no organization " + orgId));
            if (org.ownerId().equals(newOwnerId)) {
                return Optional.of(new Result(orgId, org.ownerId(), newOwnerId));
            }
            Membership oldOwner = store.membership(orgId, org.ownerId())
                    .orElseThrow(() -> new IllegalStateException("owner " + org.ownerId() + " has no membership"));
            Membership newOwner = store.membership(orgId, newOwnerId)
                    .orElseThrow(() -> new NotFound("member-not-found", newOwnerId + " is not a member of " + orgId));
            if (newOwner.status() != MemberStatus.ACTIVE) {
                throw new Conflict("member-not-active", newOwnerId + " is suspended; reactivate them first");
            }
            Instant now = clock.instant();
            AuditEntry entry = AuditEntry.of(orgId, AuditEntry.OPERATOR, "organization.ownership-transferred", Target.organization(orgId),
                    AuditEntry.state("ownerId", org.ownerId(), "newOwnerPreviousRole", newOwner.role()),
                    AuditEntry.state("ownerId", newOwnerId, "previousOwnerRole", OrgRole.ADMIN, "reason", reason), now);
            return store.transferOwnership(org, oldOwner, newOwner, now, entry)
                    ? Optional.of(new Result(orgId, org.ownerId(), newOwnerId))
                    : Optional.empty();
        });
    }
}
