package com.enterpriseadmin.organization;

import com.enterpriseadmin.audit.AuditEntry;
import com.enterpriseadmin.audit.AuditEntry.Target;
import com.enterpriseadmin.auth.Action;
import com.enterpriseadmin.auth.Caller;
import com.enterpriseadmin.auth.MemberStatus;
import com.enterpriseadmin.auth.OrgRole;
import com.enterpriseadmin.auth.Policy;
import com.enterpriseadmin.auth.Standing;
import com.enterpriseadmin.observability.Log;
import com.enterpriseadmin.store.Ids;
import com.enterpriseadmin.store.Retry;
import com.enterpriseadmin.user.Profiles;
import com.enterpriseadmin.user.UserProfile;
import java.time.Clock;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;

/** Creating, reading and renaming organizations. */
public final class Organizations {
    private final Policy policy;
    private final OrganizationStore store;
    private final Profiles profiles;
    private final Clock clock;

    public Organizations(Policy policy, OrganizationStore store, Profiles profiles, Clock clock) {
        this.policy = policy;
        this.store = store;
        this.profiles = profiles;
        this.clock = clock;
    }

    /** What administrators see of an organization; other members see only {@link NameView}. */
    public record View(String orgId, String name, String ownerId, OrgRole yourRole, Instant createdAt, Instant updatedAt) {
        static View of(Organization o, OrgRole yourRole) {
            return new View(o.orgId(), o.name(), o.ownerId(), yourRole, o.createdAt(), o.updatedAt());
        }
    }

    public record NameView(String orgId, String name) {}

    /** Creates an organization; the caller becomes its OWNER. */
    public View create(Caller caller, CreateOrganizationRequest request) {
        UserProfile profile = profiles.ensure(caller);
        Instant now = clock.instant();
        Organization org = new Organization(Ids.newId(), request.name(), caller.userId(), now, now, 1);
        Membership owner = new Membership(org.orgId(), caller.userId(), profile.email(), profile.name(),
                OrgRole.OWNER, MemberStatus.ACTIVE, Map.of(), now, now, 1);
        store.create(org, owner, AuditEntry.of(org.orgId(), caller.userId(), "organization.created",
                Target.organization(org.orgId()), Map.of(),
                AuditEntry.state("name", org.name(), "ownerId", org.ownerId()), now));
        Log.info("organization-created", "orgId", org.orgId());
        return View.of(org, OrgRole.OWNER);
    }

    /** Administrators get the full record; any other active member gets the name only. */
    public Object get(Caller caller, String orgId) {
        Standing member = policy.require(caller, orgId, Action.READ_ORG_NAME);
        Organization org = store.organization(orgId).orElseThrow(Policy::notFound);
        return Policy.can(member, Action.READ_ORG, Optional.empty()) ? View.of(org, member.role()) : new NameView(org.orgId(), org.name());
    }

    public View rename(Caller caller, String orgId, UpdateOrganizationRequest request) {
        Standing member = policy.require(caller, orgId, Action.UPDATE_ORG);
        return Retry.until(attempt -> {
            Organization org = store.organization(orgId).orElseThrow(Policy::notFound);
            if (org.name().equals(request.name())) {
                return Optional.of(View.of(org, member.role()));
            }
            Instant now = clock.instant();
            AuditEntry entry = AuditEntry.of(orgId, caller.userId(), "organization.updated", Target.organization(orgId),
                    AuditEntry.state("name", org.name()), AuditEntry.state("name", request.name()), now);
            if (!store.rename(org, request.name(), now, entry)) {
                return Optional.empty();
            }
            Organization renamed = new Organization(org.orgId(), request.name(), org.ownerId(), org.createdAt(), now, org.version() + 1);
            return Optional.of(View.of(renamed, member.role()));
        });
    }
}
