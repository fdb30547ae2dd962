package com.enterpriseadmin.reconciliation;

import com.enterpriseadmin.audit.AuditEntry;
import com.enterpriseadmin.credit.Account;
import com.enterpriseadmin.credit.AccountLanes;
import com.enterpriseadmin.credit.CreditStore;
import com.enterpriseadmin.credit.Hold;
import com.enterpriseadmin.credit.HoldClosing;
import com.enterpriseadmin.credit.LedgerEntry;
import com.enterpriseadmin.credit.UsageAggregates;
import com.enterpriseadmin.credit.UsageAggregates;
import com.enterpriseadmin.observability.Log;
import com.enterpriseadmin.observability.Metrics;
import com.enterpriseadmin.store.Ids;
import com.enterpriseadmin.team.Budget;
import com.enterpriseadmin.team.Periods;
import com.enterpriseadmin.team.Team;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The reconciliation of ONE organization (the worker's unit; the schedule fans organizations out, see
 * {@link ReconciliationSchedule}): release expired holds (and holds whose owner lost the team seat or
 * whose team was archived), start new MONTHLY periods, then check every counter: the account's and the
 * teams' against the ledger, folded on top of the organization's {@link Checkpoint} (only the entries
 * written since are read); each member's open-hold counter against their OPEN holds; each invitee's
 * pending-invitation counter against their counted PENDING invitations. Drift is reported (metric + one
 * log record); with repair on it is fixed by new ADJUSTMENT entries (credits are never edited) or, for
 * the two counters, by setting them to what was counted, each audited by {@code system}. Safe beside live
 * traffic and when run twice (every change is conditional on what was measured).
 */
public final class Reconciliation {
    /**
     * How old a ledger entry's sort key must be before the checkpoint may fold it over. A writer takes
     * {@code at} before its transaction and commits within its invocation: Lambda stops every invocation
     * at 900 s at most, so an entry whose {@code at} is older than that (plus a minute for clocks) is
     * committed or never will be. Entries younger than this are read again at the next run.
     */
    public static final Duration SETTLED_AFTER = Duration.ofSeconds(900).plusMinutes(1);
    private static final int SNAPSHOT_ATTEMPTS = 5;

    public record OrgReport(String orgId, boolean consistent, boolean skippedBusy, List<Drift> drifts, List<CounterDrift> counterDrifts,
                            int holdsReleased, int periodsReset, int adjustmentsWritten, int countersRepaired,
                            long ledgerEntriesRead, long ledgerEntriesCheckpointed, String checkpointThrough) {}

    private final CreditStore store;
    private final ReconciliationStore checkpoints;
    private final HoldClosing holds;
    private final Clock clock;
    private final boolean repair;
    private final Duration indexSettle;

    /**
     * @param indexSettle how long to wait before measuring a drifting pending-invitation counter again (the
     *     invitations are found through a global secondary index, which may lag a just-committed invitation)
     */
    public Reconciliation(CreditStore store, ReconciliationStore checkpoints, HoldClosing holds, Clock clock, boolean repair, Duration indexSettle) {
        this.store = store;
        this.checkpoints = checkpoints;
        this.holds = holds;
        this.clock = clock;
        this.repair = repair;
        this.indexSettle = indexSettle;
    }

    /** Reconciles one organization and reports it (metric {@code ReconciliationDrift}, one {@code reconciliation} log record). */
    public OrgReport reconcile(String orgId) {
        if (orgId == null || !Ids.isWellFormed(orgId)) {
            throw new IllegalArgumentException("not an organization id: " + orgId);
        }
        OrgReport report = check(orgId);
        long absolute = report.drifts().stream().mapToLong(d -> Math.abs(d.drift())).sum()
                + report.counterDrifts().stream().mapToLong(d -> Math.abs(d.drift())).sum();
        Metrics.count("ReconciliationDrift", absolute, Map.of("Job", "Reconcile"));
        Log.info("reconciliation", "orgId", orgId, "consistent", report.consistent(), "skippedBusy", report.skippedBusy(),
                "drifts", report.drifts(), "counterDrifts", report.counterDrifts(), "holdsReleased", report.holdsReleased(),
                "periodsReset", report.periodsReset(), "ledgerEntriesRead", report.ledgerEntriesRead(),
                "checkpointThrough", report.checkpointThrough());
        return report;
    }

    private OrgReport check(String orgId) {
        Instant now = clock.instant();
        // The first measurement starts here: the sequence numbers, then the teams and the open holds, which
        // the housekeeping (hold release, MONTHLY rollover) needs anyway. If the housekeeping wrote nothing,
        // the first attempt uses them as read (3 round trips fewer per organization and run); if it wrote,
        // the sequence numbers moved and every attempt reads afresh.
        Map<String, Long> seqs = store.sequenceNumbers(orgId);
        List<Team> teams = store.teams(orgId);
        List<Hold> open = store.openHolds(orgId, null, null);
        int released = releaseHolds(orgId, open, now);
        int reset = 0;
        String month = Periods.month(now);
        for (Team team : teams) {
            if (team.budget().period() == Budget.Period.MONTHLY && team.periodKey().compareTo(month) < 0 && store.rollover(orgId, team.teamId(), month, now)) {
                reset++;
            }
        }
        boolean fresh = released == 0 && reset == 0;
        Checkpoint from = checkpoints.checkpoint(orgId);
        long read = 0;
        for (int attempt = 0; attempt < SNAPSHOT_ATTEMPTS; attempt++) {
            // Query is read-committed, not a snapshot: trust the reads only if no credit write moved a
            // sequence number while the counters, the ledger since the checkpoint, the holds and the
            // open-hold counters were read (every credit write, placements and closes included, moves the
            // account's). A repair is conditioned on them too.
            if (!fresh) {
                seqs = store.sequenceNumbers(orgId);
                teams = store.teams(orgId);
            }
            // The lanes' sums (one lane: the account item), read in the window the sequence numbers (lanes' too) guard.
            Optional<AccountLanes> lanes = store.lanes(orgId);
            Account account = lanes.map(AccountLanes::total).orElse(Account.EMPTY);
            List<LedgerEntry> since = store.ledgerFrom(orgId, from.through());
            if (!fresh) {
                open = store.openHolds(orgId, null, null);
            }
            fresh = false;
            Map<String, Long> openCounters = checkpoints.openHoldCounters(orgId);
            // The usage aggregates are written in the ledger entries' transactions: read in the same window.
            UsageCheck.Touched usage = UsageCheck.touched(store, orgId, teams, since, from.through());
            read += since.size();
            if (!seqs.equals(store.sequenceNumbers(orgId))) {
                continue;
            }
            Map<String, String> periodKeys = LedgerFold.periodKeys(teams);
            List<Drift> drifts = LedgerFold.check(orgId, account, teams, from.plus(since, periodKeys, from.through()));
            List<Drift> laneDrifts = lanes.map(l -> LedgerFold.lanes(orgId, l)).orElse(List.of());
            List<UsageAggregates.Mismatch> usageDrifts = usage.mismatches();
            List<CounterDrift> counterDrifts = new ArrayList<>(CounterDrift.openHolds(open, openCounters));
            int adjustments = repair && !drifts.isEmpty() ? repair(orgId, seqs, teams, drifts, now) : 0;
            adjustments += repair && !usageDrifts.isEmpty() ? UsageCheck.repair(store, orgId, usageDrifts, now) : 0;
            drifts = java.util.stream.Stream.of(drifts, UsageCheck.drifts(orgId, usageDrifts), laneDrifts).flatMap(List::stream).toList();
            int repaired = repair && !counterDrifts.isEmpty() ? repairOpenHolds(orgId, seqs.get(""), counterDrifts, now) : 0;
            Checkpoint next = advance(orgId, from, since, periodKeys, now);
            for (String invitee : checkpoints.invitees(orgId)) {
                Optional<CounterDrift> drift = pendingInvitationDrift(invitee);
                if (drift.isPresent()) {
                    counterDrifts.add(drift.get());
                    repaired += repair && repairInviteeCounter(orgId, drift.get(), now) ? 1 : 0;
                }
            }
            return new OrgReport(orgId, drifts.isEmpty() && counterDrifts.isEmpty(), false, drifts, counterDrifts, released, reset, adjustments,
                    repaired, read, next.entries(), next.through());
        }
        Log.warn("reconciliation-skipped-busy", "orgId", orgId);
        Metrics.count("ReconciliationSkipped", 1, Map.of("Job", "Reconcile"));
        return new OrgReport(orgId, true, true, List.of(), List.of(), released, reset, 0, 0, read, from.entries(), from.through());
    }

    private int releaseHolds(String orgId, List<Hold> open, Instant now) {
        int released = 0;
        for (Hold hold : open) {
            boolean expired = !now.isBefore(hold.expiresAt());
            Team team = store.team(orgId, hold.teamId()).orElse(null);
            boolean orphaned = team == null || !team.active() || !store.isTeamMember(orgId, hold.teamId(), hold.userId())
                    || !store.isActiveMember(orgId, hold.userId());
            if ((expired || orphaned) && holds.releaseBySystem(hold, expired ? "expired" : "owner-or-team-gone", expired && !orphaned)) {
                released++;
            }
        }
        return released;
    }

    /**
     * The checkpoint moved on to {@code now − SETTLED_AFTER}: the entries read whose sort key is below that
     * bound are folded over and stored (conditional on the checkpoint as read); the younger ones are read
     * again next time. Returns the checkpoint in force afterwards.
     */
    private Checkpoint advance(String orgId, Checkpoint from, List<LedgerEntry> since, Map<String, String> periodKeys, Instant now) {
        String bound = Ids.at(now.minus(SETTLED_AFTER));
        if (bound.compareTo(from.through()) <= 0) {
            return from;
        }
        List<LedgerEntry> settled = since.stream().filter(e -> CreditStore.ledgerSortKey(e).compareTo(bound) < 0).toList();
        Checkpoint next = from.plus(settled, periodKeys, bound);
        return checkpoints.saveCheckpoint(orgId, from, next, now) ? next : from;
    }

    /**
     * The invitee's counter against their counted PENDING invitations, from a stable measurement (the
     * counter unchanged across the count). The invitations are found through GSI2, which may not yet show
     * one committed a moment ago: a difference counts only if a second measurement {@code indexSettle}
     * later finds exactly the same counter and count.
     */
    private Optional<CounterDrift> pendingInvitationDrift(String userId) {
        Optional<CounterDrift> first = measureInvitee(userId);
        if (first.isEmpty() || first.get().drift() == 0) {
            return Optional.empty();
        }
        pause(indexSettle);
        Optional<CounterDrift> second = measureInvitee(userId);
        return second.equals(first) ? first : Optional.empty();
    }

    private Optional<CounterDrift> measureInvitee(String userId) {
        for (int attempt = 0; attempt < SNAPSHOT_ATTEMPTS; attempt++) {
            long before = checkpoints.inviteePendingCounter(userId);
            long counted = checkpoints.countedPendingInvitations(userId);
            if (before == checkpoints.inviteePendingCounter(userId)) {
                return Optional.of(new CounterDrift(CounterDrift.PENDING_INVITATIONS, userId, before, counted));
            }
        }
        return Optional.empty();
    }

    private static void pause(Duration d) {
        if (d.isZero()) {
            return;
        }
        try {
            Thread.sleep(d.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }

    /** Repairs as new ADJUSTMENT entries (never edits), only if nothing moved since the measurement. */
    private int repair(String orgId, Map<String, Long> seqs, List<Team> teams, List<Drift> drifts, Instant now) {
        List<LedgerEntry> entries = LedgerFold.repairs(drifts, teams, Ids::newId, now);
        if (entries.isEmpty()) {
            return 0;
        }
        Map<String, Long> teamSeqs = new HashMap<>();
        for (LedgerEntry e : entries) {
            if (e.teamId() != null) {
                teamSeqs.put(e.teamId(), seqs.getOrDefault(e.teamId(), -1L));
            }
        }
        AuditEntry audited = AuditEntry.of(orgId, LedgerEntry.SYSTEM, "credits.reconciled",
                AuditEntry.Target.organization(orgId),
                AuditEntry.state("drifts", drifts.stream().map(d -> Map.of("teamId", d.teamId() == null ? "" : d.teamId(),
                        "counter", d.counter(), "stored", d.stored(), "fromLedger", d.fromLedger())).toList()),
                AuditEntry.state("adjustments", entries.stream().map(LedgerEntry::entryId).toList()), now);
        boolean written = store.appendAdjustments(orgId, seqs.get(""), teamSeqs, entries, audited);
        Log.warn("reconciliation-repair", "orgId", orgId, "written", written, "entries", entries.size());
        return written ? entries.size() : 0;
    }

    private int repairOpenHolds(String orgId, long accountSeq, List<CounterDrift> drifts, Instant now) {
        AuditEntry audited = AuditEntry.of(orgId, LedgerEntry.SYSTEM, "holds.counters-reconciled", AuditEntry.Target.organization(orgId),
                AuditEntry.state("openHolds", counterStates(drifts, true)), AuditEntry.state("openHolds", counterStates(drifts, false)), now);
        boolean written = checkpoints.repairOpenHolds(orgId, accountSeq, drifts, audited);
        Log.warn("reconciliation-counter-repair", "orgId", orgId, "counter", CounterDrift.OPEN_HOLDS, "written", written, "members", drifts.size());
        return written ? (int) Math.min(drifts.size(), com.enterpriseadmin.store.Tx.MAX_ACTIONS - 2) : 0;
    }

    private boolean repairInviteeCounter(String orgId, CounterDrift drift, Instant now) {
        AuditEntry audited = AuditEntry.of(orgId, LedgerEntry.SYSTEM, "invitations.counter-reconciled", AuditEntry.Target.member(drift.userId()),
                AuditEntry.state("pendingInvitations", drift.stored()), AuditEntry.state("pendingInvitations", drift.counted()), now);
        boolean written = checkpoints.repairInviteeCounter(drift, audited);
        Log.warn("reconciliation-counter-repair", "orgId", orgId, "counter", CounterDrift.PENDING_INVITATIONS, "userId", drift.userId(), "written", written);
        return written;
    }

    private static List<Map<String, Object>> counterStates(List<CounterDrift> drifts, boolean stored) {
        return drifts.stream().map(d -> Map.<String, Object>of("userId", d.userId(), "count", stored ? d.stored() : d.counted())).toList();
    }
}
