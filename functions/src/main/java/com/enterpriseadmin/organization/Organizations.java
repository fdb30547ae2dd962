package com.enterpriseadmin.organization;

import com.enterpriseadmin.audit.AuditEntry;
import com.enterpriseadmin.audit.AuditEntry.Target;
import com.enterpriseadmin.auth.Action;
import com.enterpriseadmin.auth.Caller;
import com.enterpriseadmin.auth.MemberStatus;
import com.enterpriseadmin.auth.OrgRole;
import com.enterpriseadmin.auth.Policy;
import com.enterpriseadmin.auth.Standing;
import com.enterpriseadmin.error.DomainException.RateLimited;
import com.enterpriseadmin.observability.Log;
import com.enterpriseadmin.observability.Metrics;
import com.enterpriseadmin.store.Ids;
import com.enterpriseadmin.store.Retry;
import com.enterpriseadmin.user.Profiles;
import com.enterpriseadmin.user.UserProfile;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.Map;
import java.util.Optional;

/** Creating, reading and renaming organizations. */
public final class Organizations {
    private final Policy policy;
    private final OrganizationStore store;
    private final Profiles profiles;
    private final Clock clock;
    private final int createLimitPerDay;

    /** {@code createLimitPerDay}: organizations one user may create per UTC day ({@code ORG_CREATE_LIMIT_PER_USER_PER_DAY}). */
    public Organizations(Policy policy, OrganizationStore store, Profiles profiles, Clock clock, int createLimitPerDay) {
        this.policy = policy;
        this.store = store;
        this.profiles = profiles;
        this.clock = clock;
        this.createLimitPerDay = createLimitPerDay;
    }

    /** What administrators see of an organization; other members see only {@link NameView}. */
    public record View(String orgId, String name, String ownerId, OrgRole yourRole, Instant createdAt, Instant updatedAt) {
        static View of(Organization o, OrgRole yourRole) {
            return new View(o.orgId(), o.name(), o.ownerId(), yourRole, o.createdAt(), o.updatedAt());
        }
    }

    public record NameView(String orgId, String name) {}

    /**
     * Creates an organization; the caller becomes its OWNER. At most {@code createLimitPerDay} per user
     * and UTC day, counted in the creating transaction: 429 {@code organization-create-limit} with
     * Retry-After = seconds to the next UTC midnight.
     */
    public View create(Caller caller, CreateOrganizationRequest request) {
        UserProfile profile = profiles.ensure(caller);
        Organization[] created = new Organization[1];
        Retry.until("too many concurrent requests; retry the request", attempt -> {
            Instant now = clock.instant();
            Organization org = new Organization(Ids.newId(), request.name(), caller.userId(), now, now, 1);
            Membership owner = new Membership(org.orgId(), caller.userId(), profile.email(), profile.name(),
                    OrgRole.OWNER, MemberStatus.ACTIVE, Map.of(), now, now, 1);
            OrganizationStore.CreateWindow window = window(now);
            return switch (store.create(org, owner, window, AuditEntry.of(org.orgId(), caller.userId(), "organization.created",
                    Target.organization(org.orgId()), Map.of(),
                    AuditEntry.state("name", org.name(), "ownerId", org.ownerId()), now))) {
                case DONE -> {
                    created[0] = org;
                    yield Optional.of(org);
                }
                case LIMITED -> throw createLimited(now, window);
                case RETRY -> Optional.empty();
            };
        });
        Log.info("organization-created", "orgId", created[0].orgId());
        return View.of(created[0], OrgRole.OWNER);
    }

    private OrganizationStore.CreateWindow window(Instant now) {
        LocalDate day = now.atZone(ZoneOffset.UTC).toLocalDate();
        return new OrganizationStore.CreateWindow(day.toString(), createLimitPerDay, day.plusDays(1).atStartOfDay(ZoneOffset.UTC).toInstant());
    }

    private RateLimited createLimited(Instant now, OrganizationStore.CreateWindow window) {
        long retryAfter = Math.max(1, Duration.between(now, window.resetsAt()).toSeconds());
        Metrics.count("OrganizationCreatesLimited", 1, Map.of());
        return new RateLimited("organization-create-limit", "you reached the limit of " + createLimitPerDay
                + " organizations created per day (UTC); retry after midnight UTC", retryAfter).with("limit", createLimitPerDay);
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
