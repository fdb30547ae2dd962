package com.enterpriseadmin.organization;

import com.enterpriseadmin.audit.AuditEntry;
import com.enterpriseadmin.audit.AuditEntry.Target;
import com.enterpriseadmin.auth.Action;
import com.enterpriseadmin.auth.Caller;
import com.enterpriseadmin.auth.MemberStatus;
import com.enterpriseadmin.auth.OrgRole;
import com.enterpriseadmin.auth.Policy;
import com.enterpriseadmin.auth.TeamRole;
import com.enterpriseadmin.error.DomainException.Conflict;
import com.enterpriseadmin.error.DomainException.NotFound;
import com.enterpriseadmin.http.PageRequest;
import com.enterpriseadmin.observability.Log;
import com.enterpriseadmin.store.Page;
import com.enterpriseadmin.store.Retry;
import com.enterpriseadmin.store.Tx;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.regex.Pattern;

/**
 * The users of an organization: list, change org role (ADMIN ↔ USER), suspend / reactivate, remove.
 * The OWNER is protected (409 {@code owner-protected}) from all three changes; ownership moves only
 * through {@link TransferOwnershipCommand}. Removing or suspending a member changes their team seats in
 * the same transaction ({@link MembershipCascade}) and releases their open credit holds right after it
 * commits ({@link HoldReleases}).
 */
public final class Members {
    /** Cognito subs are UUIDs; anything else cannot be a member. */
    private static final Pattern USER_ID = Pattern.compile("[A-Za-z0-9-]{1,128}");

    private final Policy policy;
    private final OrganizationStore store;
    private final MembershipCascade cascade;
    private final HoldReleases holds;
    private final Clock clock;

    public Members(Policy policy, OrganizationStore store, MembershipCascade cascade, HoldReleases holds, Clock clock) {
        this.policy = policy;
        this.store = store;
        this.cascade = cascade;
        this.holds = holds;
        this.clock = clock;
    }

    public record TeamSeat(String teamId, TeamRole role) {}

    public record View(String userId, String email, String name, OrgRole role, MemberStatus status,
                       List<TeamSeat> teams, Instant joinedAt, Instant updatedAt) {
        public static View of(Membership m) {
            List<TeamSeat> seats = new ArrayList<>();
            m.teams().forEach((team, role) -> seats.add(new TeamSeat(team, role)));
            seats.sort(Comparator.comparing(TeamSeat::teamId));
            return new View(m.userId(), m.email(), m.name(), m.role(), m.status(), List.copyOf(seats), m.joinedAt(), m.updatedAt());
        }
    }

    public Page<View> list(Caller caller, String orgId, PageRequest page) {
        policy.require(caller, orgId, Action.MANAGE_USERS);
        return store.members(orgId, page.cursor(), page.limit()).map(View::of);
    }

    public View update(Caller caller, String orgId, String userId, UpdateMemberRequest request) {
        policy.require(caller, orgId, Action.MANAGE_USERS);
        View updated = Retry.until(attempt -> {
            Membership before = target(orgId, userId);
            if (before.role() == OrgRole.OWNER) {
                throw ownerProtected();
            }
            OrgRole role = request.role() == null ? before.role() : request.role().toOrgRole();
            MemberStatus status = request.status() == null ? before.status() : request.status();
            if (role == before.role() && status == before.status()) {
                return Optional.of(View.of(before));
            }
            Instant now = clock.instant();
            Membership after = before.with(role, status, now);
            Consumer<Tx> alsoChange = status == MemberStatus.SUSPENDED && before.status() != MemberStatus.SUSPENDED
                    ? tx -> cascade.onSuspended(before, tx) : tx -> {};
            AuditEntry entry = AuditEntry.of(orgId, caller.userId(), action(before, after), Target.member(userId),
                    AuditEntry.state("role", before.role(), "status", before.status()),
                    AuditEntry.state("role", after.role(), "status", after.status()), now);
            if (!store.updateMember(before, after, alsoChange, entry)) {
                return Optional.empty();
            }
            Log.info("member-updated", "userId", userId, "role", role.name(), "status", status.name());
            return Optional.of(View.of(after));
        });
        if (updated.status() == MemberStatus.SUSPENDED) {
            // A suspended member can spend nothing, reservations included: give their holds back.
            holds.release(orgId, null, userId, "member-suspended");
        }
        return updated;
    }

    public void remove(Caller caller, String orgId, String userId) {
        policy.require(caller, orgId, Action.MANAGE_USERS);
        Retry.until(attempt -> {
            Membership member = target(orgId, userId);
            if (member.role() == OrgRole.OWNER) {
                throw ownerProtected();
            }
            AuditEntry entry = AuditEntry.of(orgId, caller.userId(), "member.removed", Target.member(userId),
                    AuditEntry.state("email", member.email(), "role", member.role(), "status", member.status(),
                            "teams", member.teams().keySet().stream().sorted().toList()),
                    java.util.Map.of(), clock.instant());
            if (!store.removeMember(member, tx -> cascade.onRemoved(member, tx), entry)) {
                return Optional.empty();
            }
            Log.info("member-removed", "userId", userId);
            return Optional.of(Boolean.TRUE);
        });
        holds.release(orgId, null, userId, "member-removed-from-organization");
    }

    private Membership target(String orgId, String userId) {
        if (!USER_ID.matcher(userId).matches()) {
            throw memberNotFound();
        }
        return store.membership(orgId, userId).orElseThrow(Members::memberNotFound);
    }

    private static String action(Membership before, Membership after) {
        if (before.role() != after.role() && before.status() == after.status()) {
            return "member.role-changed";
        }
        if (before.role() == after.role()) {
            return after.status() == MemberStatus.SUSPENDED ? "member.suspended" : "member.reactivated";
        }
        return "member.updated";
    }

    static NotFound memberNotFound() {
        return new NotFound("member-not-found", "no such member in this organization");
    }

    static Conflict ownerProtected() {
        return new Conflict("owner-protected", "the organization's owner cannot be removed, suspended or demoted; ownership changes only through support");
    }
}
