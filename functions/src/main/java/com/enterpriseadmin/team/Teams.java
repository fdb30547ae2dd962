package com.enterpriseadmin.team;

import com.enterpriseadmin.audit.AuditEntry;
import com.enterpriseadmin.auth.Action;
import com.enterpriseadmin.auth.Caller;
import com.enterpriseadmin.auth.Policy;
import com.enterpriseadmin.error.DomainException.Conflict;
import com.enterpriseadmin.error.DomainException.InvalidInput;
import com.enterpriseadmin.error.DomainException.NotFound;
import com.enterpriseadmin.error.DomainException.PreconditionFailed;
import com.enterpriseadmin.http.PageRequest;
import com.enterpriseadmin.organization.HoldReleases;
import com.enterpriseadmin.store.Ids;
import com.enterpriseadmin.store.Page;
import com.enterpriseadmin.store.Retry;
import java.time.Clock;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * Use cases of teams: create (with its initial budget), list, read, rename, archive / unarchive.
 * Managing teams is for organization OWNERs and ADMINs; reading one team (it carries the budget
 * counters) also for that team's ADMINs (docs/domain.md, "Who does what" "view team credit usage").
 *
 * <p>Archiving a team releases its open credit holds right after the archive commits ({@link HoldReleases}):
 * no hold can be placed on an archived team, and the reconciliation job releases whatever a failure
 * between the two steps leaves open.
 */
public final class Teams {
    private final Policy policy;
    private final TeamStore store;
    private final HoldReleases holds;
    private final Clock clock;

    public Teams(Policy policy, TeamStore store, HoldReleases holds, Clock clock) {
        this.policy = policy;
        this.store = store;
        this.holds = holds;
        this.clock = clock;
    }

    public Team create(Caller caller, String orgId, CreateTeamRequest request) {
        policy.require(caller, orgId, Action.MANAGE_TEAMS);
        String teamId = Ids.newId();
        return Retry.until(attempt -> {
            Instant now = clock.instant();
            AuditEntry entry = AuditEntry.of(orgId, caller.userId(), "team.created", target(teamId), Map.of(),
                    AuditEntry.state("name", request.name().display(), "status", Team.Status.ACTIVE, "budget", budgetState(request.budget())), now);
            return switch (store.create(orgId, teamId, request.name(), request.budget(), now, entry)) {
                case DONE -> store.team(orgId, teamId);
                case NAME_TAKEN -> throw nameTaken(request.name());
                case RETRY -> Optional.empty();
            };
        });
    }

    public Page<Team> list(Caller caller, String orgId, TeamStore.ArchivedFilter filter, PageRequest page) {
        policy.require(caller, orgId, Action.MANAGE_TEAMS);
        return store.teams(orgId, filter, page.cursor(), page.limit());
    }

    public Team get(Caller caller, String orgId, String teamId) {
        policy.require(caller, orgId, Action.VIEW_TEAM_USAGE, teamId);
        return existing(orgId, teamId);
    }

    /**
     * Renames and/or archives / unarchives. {@code ifMatch} (the ETag = version) makes it a
     * compare-and-set: 412 {@code version-mismatch} if the team changed since it was read. Without
     * it, the change applies to the latest version (re-read and retried on a race).
     */
    public Team update(Caller caller, String orgId, String teamId, UpdateTeamRequest request, Optional<Long> ifMatch) {
        policy.require(caller, orgId, Action.MANAGE_TEAMS);
        return Retry.until(attempt -> {
            Team before = existing(orgId, teamId);
            if (ifMatch.isPresent() && ifMatch.get() != before.version()) {
                throw versionMismatch(before);
            }
            Optional<TeamName> rename = request.name().filter(n -> !n.display().equals(before.name()));
            Optional<Team.Status> status = request.archived()
                    .map(a -> a ? Team.Status.ARCHIVED : Team.Status.ACTIVE)
                    .filter(s -> s != before.status());
            if (rename.isEmpty() && status.isEmpty()) {
                return Optional.of(before);
            }
            Instant now = clock.instant();
            Map<String, Object> was = new LinkedHashMap<>();
            Map<String, Object> is = new LinkedHashMap<>();
            rename.ifPresent(n -> { was.put("name", before.name()); is.put("name", n.display()); });
            status.ifPresent(s -> { was.put("status", before.status().name()); is.put("status", s.name()); });
            String action = status.map(s -> s == Team.Status.ARCHIVED ? "team.archived" : "team.unarchived").orElse("team.renamed");
            AuditEntry entry = AuditEntry.of(orgId, caller.userId(), action, target(teamId), was, is, now);
            boolean archives = status.filter(s -> s == Team.Status.ARCHIVED).isPresent();
            return switch (store.update(before, rename, status, now, entry)) {
                case DONE -> {
                    if (archives) {
                        holds.release(orgId, teamId, null, "team-archived");
                    }
                    yield store.team(orgId, teamId);
                }
                case NAME_TAKEN -> throw nameTaken(rename.orElseThrow());
                case VERSION_CHANGED -> {
                    if (ifMatch.isPresent()) {
                        throw versionMismatch(before);
                    }
                    yield Optional.empty();
                }
                case RETRY -> Optional.empty();
            };
        });
    }

    /** Parses an {@code If-Match} header: {@code "3"}, {@code W/"3"} or {@code 3}. */
    public static Optional<Long> parseIfMatch(Optional<String> header) {
        if (header.isEmpty()) {
            return Optional.empty();
        }
        String v = header.get().trim();
        if (v.startsWith("W/")) {
            v = v.substring(2);
        }
        if (v.length() >= 2 && v.startsWith("\"") && v.endsWith("\"")) {
            v = v.substring(1, v.length() - 1);
        }
        if (v.isEmpty() || v.length() > 18 || !v.chars().allMatch(Character::isDigit)) {
            throw new InvalidInput("If-Match", "'If-Match' must be the team's ETag, e.g. \"3\"");
        }
        return Optional.of(Long.parseLong(v));
    }

    public static TeamStore.ArchivedFilter parseArchived(Optional<String> raw) {
        String v = raw.orElse("false").toLowerCase(Locale.ROOT);
        return switch (v) {
            case "false" -> TeamStore.ArchivedFilter.FALSE;
            case "true" -> TeamStore.ArchivedFilter.TRUE;
            case "all" -> TeamStore.ArchivedFilter.ALL;
            default -> throw new InvalidInput("archived", "'archived' must be true, false or all");
        };
    }

    Team existing(String orgId, String teamId) {
        if (!Ids.isWellFormed(teamId)) {
            throw teamNotFound();
        }
        return store.team(orgId, teamId).orElseThrow(Teams::teamNotFound);
    }

    static NotFound teamNotFound() {
        return new NotFound("team-not-found", "no such team in this organization");
    }

    static AuditEntry.Target target(String teamId) {
        return new AuditEntry.Target("team", teamId);
    }

    static Map<String, Object> budgetState(Budget b) {
        return AuditEntry.state("mode", b.mode(), "limit", b.limit(), "period", b.period());
    }

    private static Conflict nameTaken(TeamName name) {
        return new Conflict("team-name-taken", "a team named '" + name.display() + "' already exists in this organization (names are compared ignoring case and extra spaces)")
                .with("field", "name");
    }

    private static PreconditionFailed versionMismatch(Team current) {
        return new PreconditionFailed("version-mismatch", "the team has changed since you read it; read it again (current ETag \"" + current.version() + "\")")
                .with("currentVersion", current.version());
    }
}
