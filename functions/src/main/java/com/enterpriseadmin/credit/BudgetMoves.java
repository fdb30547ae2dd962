package com.enterpriseadmin.credit;

import com.enterpriseadmin.audit.AuditEntry;
import com.enterpriseadmin.audit.AuditStore;
import com.enterpriseadmin.auth.Action;
import com.enterpriseadmin.auth.Caller;
import com.enterpriseadmin.auth.Policy;
import com.enterpriseadmin.auth.Standing;
import com.enterpriseadmin.credit.BudgetStore.BudgetRequest;
import com.enterpriseadmin.error.DomainException;
import com.enterpriseadmin.error.DomainException.Conflict;
import com.enterpriseadmin.error.DomainException.Forbidden;
import com.enterpriseadmin.error.DomainException.InvalidInput;
import com.enterpriseadmin.error.DomainException.NotFound;
import com.enterpriseadmin.error.DomainException.PreconditionFailed;
import com.enterpriseadmin.http.Json;
import com.enterpriseadmin.store.Ids;
import com.enterpriseadmin.store.Page;
import com.enterpriseadmin.store.Retry;
import com.enterpriseadmin.store.Tx;
import com.enterpriseadmin.team.Budget;
import com.enterpriseadmin.team.Team;
import java.time.Clock;
import java.time.Instant;
import java.util.Arrays;
import java.util.Optional;

/**
 * Budget moves between and into LIMITED teams, besides the budget PUT: transfers between two teams (OWNER/ADMIN,
 * under an Idempotency-Key) and budget requests (a team's ADMIN asks, an OWNER/ADMIN approves — raising the limit
 * atomically at the team version the request was made against, or explicitly at the current one — or declines; the
 * requester may withdraw). States: PENDING → APPROVED | DECLINED | WITHDRAWN, each move conditioned on PENDING.
 */
public final class BudgetMoves {
    private final Policy policy;
    private final CreditStore credits;
    private final BudgetStore store;
    private final Idempotency idempotency;
    private final IdempotentWrites writes;
    private final AuditStore audit;
    private final Json json;
    private final Clock clock;

    public BudgetMoves(Policy policy, CreditStore credits, BudgetStore store, Idempotency idempotency, AuditStore audit, Json json, Clock clock) {
        this.policy = policy;
        this.credits = credits;
        this.store = store;
        this.idempotency = idempotency;
        this.writes = new IdempotentWrites(idempotency);
        this.audit = audit;
        this.json = json;
        this.clock = clock;
    }

    // ------------------------------------------------------------------ transfers

    public record TransferView(String transferId, String fromTeamId, String toTeamId, long amount, String actor, Instant at) {}

    /** Moves {@code amount} of limit from one LIMITED team to another in one transaction; refused if the source's remaining is short. */
    public Outcome transfer(Caller caller, String orgId, String key, Requests.Transfer body) {
        String fingerprint = Idempotency.fingerprint("POST", "budget-transfers", orgId, caller.userId(), json.write(body));
        return writes.run(orgId, key, fingerprint, () -> policy.require(caller, orgId, Action.CORRECT_CREDITS), (standing, claim) -> {
            long n = body.amount();
            return Retry.until(Credits.BUSY, attempt -> {
                Instant now = clock.instant();
                // Read (and a MONTHLY period that ended rolled over) only to answer 404 early; the conditions decide.
                Team from = team(orgId, body.fromTeamId(), "fromTeamId", now);
                Team to = team(orgId, body.toTeamId(), "toTeamId", now);
                TransferView view = new TransferView(Ids.newId(), from.teamId(), to.teamId(), n, caller.userId(), now);
                String json = this.json.write(view);
                AuditEntry audited = AuditEntry.of(orgId, caller.userId(), "team.budget-transferred", new AuditEntry.Target("team", from.teamId()),
                        AuditEntry.state("fromLimit", from.budget().limit(), "toLimit", to.budget().limit()),
                        AuditEntry.state("amount", n, "toTeamId", to.teamId(), "transferId", view.transferId()), now);
                BudgetStore.Move move = store.transfer(orgId, from.teamId(), to.teamId(), n, tx -> {
                    Tx.Action completion = idempotency.complete(tx, claim, json);
                    audit.record(tx, audited);
                    return Optional.of(completion);
                });
                return switch (move.commit()) {
                    case COMMITTED -> Optional.of(json);
                    case CONTENDED -> Optional.empty();
                    case CALLER_REFUSED -> throw Idempotency.takenOver();
                    case REFUSED -> {
                        refuseTeam(move, BudgetStore.FROM, "fromTeamId", n).ifPresent(e -> {
                            throw e;
                        });
                        refuseTeam(move, BudgetStore.TO, "toTeamId", n).ifPresent(e -> {
                            throw e;
                        });
                        yield Optional.empty();
                    }
                };
            });
        });
    }

    /** What a refused team condition means, if it still refuses (else the state moved: try again). */
    private static Optional<DomainException> refuseTeam(BudgetStore.Move move, String which, String field, long n) {
        if (!move.refused(which)) {
            return Optional.empty();
        }
        Optional<Team> seen = move.team(which);
        if (seen.isEmpty()) {
            return Optional.of(teamNotFound(field));
        }
        Team team = seen.get();
        if (!team.active()) {
            return Optional.of(AdmissionRefusals.teamArchived().with("field", field));
        }
        if (team.budget().mode() != Budget.Mode.LIMITED) {
            return Optional.of(notLimited(field));
        }
        if (BudgetStore.FROM.equals(which) && team.remaining() < n) {
            return Optional.of(new Conflict("transfer-exceeds-remaining", "the source team has " + Math.max(0, team.remaining())
                    + " credits of its limit left this period (limit − consumed − held); " + n + " were asked for")
                    .with("remaining", Math.max(0, team.remaining())).with("requested", n));
        }
        if (BudgetStore.TO.equals(which) && team.budget().limit() > Budget.MAX_LIMIT - n) {
            return Optional.of(new Conflict("limit-too-large", "the team's limit would exceed " + Budget.MAX_LIMIT).with("field", field));
        }
        return Optional.empty();
    }

    private Team team(String orgId, String teamId, String field, Instant now) {
        try {
            return credits.currentTeam(orgId, teamId, now);
        } catch (NotFound absent) {
            throw teamNotFound(field);
        }
    }

    private static NotFound teamNotFound(String field) {
        return new NotFound("team-not-found", "no such team: " + field).with("field", field);
    }

    private static Conflict notLimited(String field) {
        return new Conflict("team-not-limited", "the team has a SHARED_POOL budget (no limit to move)").with("field", field);
    }

    // ------------------------------------------------------------------ budget requests

    public record RequestBody(Long amount, String reason) {
        public RequestBody {
            Requests.requireAmount(amount, "amount");
            reason = Requests.requiredText(reason, "reason", 1000);
        }
    }

    public record DecisionBody(Boolean atCurrentVersion, String note) {
        public DecisionBody {
            note = Requests.text(note, "note", 1000);
        }
    }

    public record RequestView(String requestId, String teamId, long amount, String reason, String status, String requestedBy, Instant requestedAt,
                              long teamVersion, String decidedBy, Instant decidedAt, String note) {
        static RequestView of(BudgetRequest r) {
            return new RequestView(r.requestId(), r.teamId(), r.amount(), r.reason(), r.status().name(), r.requestedBy(), r.requestedAt(),
                    r.teamVersion(), r.decidedBy(), r.decidedAt(), r.note());
        }
    }

    /** A team's ADMIN (or an organization OWNER/ADMIN) asks for {@code amount} more limit for a LIMITED team. */
    public RequestView request(Caller caller, String orgId, String teamId, RequestBody body) {
        policy.require(caller, orgId, Action.REQUEST_BUDGET, teamId);
        Instant now = clock.instant();
        Team team = credits.currentTeam(orgId, teamId, now);
        if (!team.active()) {
            throw AdmissionRefusals.teamArchived();
        }
        if (team.budget().mode() != Budget.Mode.LIMITED) {
            throw notLimited("teamId");
        }
        BudgetRequest r = new BudgetRequest(Ids.newId(), orgId, teamId, body.amount(), body.reason(), BudgetRequest.Status.PENDING,
                caller.userId(), now, team.version(), null, null, null);
        store.create(r, AuditEntry.of(orgId, caller.userId(), "budget-request.created", new AuditEntry.Target("budget-request", r.requestId()),
                java.util.Map.of(), AuditEntry.state("teamId", teamId, "amount", body.amount(), "reason", body.reason(), "teamVersion", team.version()),
                now));
        return RequestView.of(r);
    }

    public Page<RequestView> list(Caller caller, String orgId, String status, String cursor, int limit) {
        policy.require(caller, orgId, Action.SET_BUDGET);
        Optional<BudgetRequest.Status> wanted = Optional.ofNullable(status).map(s -> Arrays.stream(BudgetRequest.Status.values())
                .filter(v -> v.name().equals(s)).findFirst()
                .orElseThrow(() -> new InvalidInput("status", "must be one of PENDING, APPROVED, DECLINED, WITHDRAWN")));
        return store.requests(orgId, wanted, cursor, limit).map(RequestView::of);
    }

    /**
     * Approves a PENDING request: the team's limit rises by its amount in the same transaction, at the team version the
     * request was made against (412 {@code version-mismatch} if the team changed since), or at the current one when
     * {@code atCurrentVersion}. Approving twice raises once: the second finds it APPROVED (409).
     */
    public RequestView approve(Caller caller, String orgId, String requestId, DecisionBody body) {
        policy.require(caller, orgId, Action.SET_BUDGET);
        boolean atCurrent = Boolean.TRUE.equals(body.atCurrentVersion());
        return Retry.until(Credits.BUSY, attempt -> {
            BudgetRequest r = pending(orgId, requestId);
            Instant now = clock.instant();
            Team team = credits.currentTeam(orgId, r.teamId(), now);
            long version = atCurrent ? team.version() : r.teamVersion();
            AuditEntry audited = AuditEntry.of(orgId, caller.userId(), "budget-request.approved", new AuditEntry.Target("budget-request", requestId),
                    AuditEntry.state("status", r.status(), "limit", team.budget().limit(), "teamVersion", version),
                    AuditEntry.state("status", BudgetRequest.Status.APPROVED, "limit", team.budget().storedLimit() + r.amount(), "note", body.note()), now);
            BudgetStore.Move move = store.approve(r, version, caller.userId(), body.note(), now, audited);
            switch (move.commit()) {
                case COMMITTED -> {
                    return Optional.of(RequestView.of(store.request(orgId, requestId).orElseThrow()));
                }
                case CONTENDED, CALLER_REFUSED -> {
                    return Optional.empty();
                }
                case REFUSED -> {
                    if (move.refused(BudgetStore.REQUEST)) {
                        return Optional.empty(); // decided meanwhile: pending() names it
                    }
                    Team seen = move.team(BudgetStore.TO).orElseThrow(() -> teamNotFound("teamId"));
                    if (seen.version() != version && !atCurrent) {
                        throw new PreconditionFailed("version-mismatch", "the team's budget changed since the request was made (version "
                                + r.teamVersion() + ", now " + seen.version() + "); approve with atCurrentVersion: true to raise the current limit")
                                .with("requestVersion", r.teamVersion()).with("currentVersion", seen.version());
                    }
                    Optional<DomainException> refusal = refuseTeam(move, BudgetStore.TO, "teamId", r.amount());
                    if (refusal.isPresent()) {
                        throw refusal.get();
                    }
                    return Optional.empty();
                }
            }
            throw new IllegalStateException(move.toString());
        });
    }

    public RequestView decline(Caller caller, String orgId, String requestId, DecisionBody body) {
        Standing standing = policy.require(caller, orgId, Action.SET_BUDGET);
        return close(orgId, requestId, BudgetRequest.Status.DECLINED, standing.userId(), body.note(), r -> {});
    }

    /** Only the member who made the request may withdraw it, while it is PENDING. */
    public RequestView withdraw(Caller caller, String orgId, String requestId) {
        Standing standing = policy.member(caller, orgId);
        if (!standing.active()) {
            throw new Forbidden("member-suspended", "your membership of this organization is suspended");
        }
        return close(orgId, requestId, BudgetRequest.Status.WITHDRAWN, standing.userId(), null, r -> {
            if (!r.requestedBy().equals(standing.userId())) {
                throw new Forbidden("not-the-requester", "only the member who made a budget request can withdraw it");
            }
        });
    }

    private RequestView close(String orgId, String requestId, BudgetRequest.Status to, String actor, String note,
                              java.util.function.Consumer<BudgetRequest> allowed) {
        return Retry.until(Credits.BUSY, attempt -> {
            BudgetRequest r = store.request(orgId, requestId).orElseThrow(BudgetMoves::requestNotFound);
            allowed.accept(r);
            requirePending(r);
            Instant now = clock.instant();
            AuditEntry audited = AuditEntry.of(orgId, actor, "budget-request." + to.name().toLowerCase(), new AuditEntry.Target("budget-request", requestId),
                    AuditEntry.state("status", r.status()), AuditEntry.state("status", to, "note", note), now);
            if (!store.close(r, to, actor, note, now, audited)) {
                return Optional.empty();
            }
            return Optional.of(RequestView.of(store.request(orgId, requestId).orElseThrow()));
        });
    }

    private BudgetRequest pending(String orgId, String requestId) {
        BudgetRequest r = store.request(orgId, requestId).orElseThrow(BudgetMoves::requestNotFound);
        requirePending(r);
        return r;
    }

    private static void requirePending(BudgetRequest r) {
        if (r.status() != BudgetRequest.Status.PENDING) {
            throw new Conflict("budget-request-not-pending", "the request is already " + r.status().name().toLowerCase())
                    .with("status", r.status().name());
        }
    }

    private static NotFound requestNotFound() {
        return new NotFound("budget-request-not-found", "no such budget request in this organization");
    }
}
