package com.enterpriseadmin.reconciliation;

import com.enterpriseadmin.audit.AuditEntry;
import com.enterpriseadmin.credit.Account;
import com.enterpriseadmin.credit.CreditStore;
import com.enterpriseadmin.credit.Hold;
import com.enterpriseadmin.credit.HoldClosing;
import com.enterpriseadmin.credit.LedgerEntry;
import com.enterpriseadmin.credit.UsageAggregates;
import com.enterpriseadmin.observability.Log;
import com.enterpriseadmin.observability.Metrics;
import com.enterpriseadmin.team.Budget;
import com.enterpriseadmin.team.Periods;
import com.enterpriseadmin.team.Team;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The scheduled job. For every organization: release expired holds (and holds whose owner lost the
 * team seat or whose team was archived), start new MONTHLY periods, then recompute every counter
 * from the ledger and report drift (metric + one log record per organization). Read-only about
 * credits: repairs are never edits. Safe beside live traffic: a fold is only trusted when the
 * counters did not move while the ledger was read (otherwise it is retried, then skipped).
 * Also expires lapsed invitations and provisions confirmed users that have no profile.
 */
public final class Reconciliation {
    private static final int SNAPSHOT_ATTEMPTS = 5;

    /** Where organization ids come from (a scan of the table in production). */
    @FunctionalInterface
    public interface OrganizationIds {
        List<String> allOrgIds();
    }

    /** Other sweeps the job runs (invitation expiry, profile provisioning); each returns how many it changed. */
    public interface Sweep {
        String name();

        int run(Instant now);
    }

    public record OrgReport(String orgId, boolean consistent, boolean skippedBusy, List<Drift> drifts, int holdsReleased, int periodsReset,
                            int adjustmentsWritten) {}

    public record Report(int organizations, int organizationsWithDrift, long totalAbsoluteDrift, int holdsReleased, int periodsReset,
                         Map<String, Integer> sweeps, List<OrgReport> drifting) {}

    private final OrganizationIds organizations;
    private final CreditStore store;
    private final HoldClosing holds;
    private final List<Sweep> sweeps;
    private final Clock clock;
    private final boolean repair;

    public Reconciliation(OrganizationIds organizations, CreditStore store, HoldClosing holds, List<Sweep> sweeps, Clock clock, boolean repair) {
        this.repair = repair;
        this.organizations = organizations;
        this.store = store;
        this.holds = holds;
        this.sweeps = sweeps;
        this.clock = clock;
    }

    public Report run() {
        Instant now = clock.instant();
        Map<String, Integer> sweepCounts = new java.util.LinkedHashMap<>();
        List<String> failures = new ArrayList<>();
        for (Sweep sweep : sweeps) {
            try {
                sweepCounts.put(sweep.name(), sweep.run(now));
            } catch (RuntimeException e) {
                Log.error("reconciliation-sweep-failed", e, "sweep", sweep.name());
                failures.add(sweep.name());
            }
        }
        List<OrgReport> drifting = new ArrayList<>();
        int orgs = 0;
        int holds = 0;
        int periods = 0;
        long total = 0;
        for (String orgId : organizations.allOrgIds()) {
            orgs++;
            OrgReport report;
            try {
                report = reconcile(orgId);
            } catch (RuntimeException e) {
                // One organization's failure must not stop the others; the run still fails at the end.
                Log.error("reconciliation-failed", e, "orgId", orgId);
                failures.add(orgId);
                continue;
            }
            holds += report.holdsReleased();
            periods += report.periodsReset();
            long absolute = report.drifts().stream().mapToLong(d -> Math.abs(d.drift())).sum();
            total += absolute;
            Metrics.count("ReconciliationDrift", absolute, Map.of("Job", "Reconcile"));
            Log.info("reconciliation", "orgId", orgId, "consistent", report.consistent(), "skippedBusy", report.skippedBusy(),
                    "drifts", report.drifts(), "holdsReleased", report.holdsReleased(), "periodsReset", report.periodsReset());
            if (!report.consistent()) {
                drifting.add(report);
            }
        }
        Metrics.count("ReconciliationOrganizations", orgs, Map.of("Job", "Reconcile"));
        Metrics.count("ReconciliationFailures", failures.size(), Map.of("Job", "Reconcile"));
        Report report = new Report(orgs, drifting.size(), total, holds, periods, sweepCounts, drifting);
        if (!failures.isEmpty()) {
            // Everything that could be done is done; failing the invocation makes Lambda retry and alarms fire.
            throw new IllegalStateException("reconciliation failed for " + failures.size() + " of " + (orgs + sweeps.size())
                    + " organizations and sweeps: " + failures);
        }
        return report;
    }

    public OrgReport reconcile(String orgId) {
        Instant now = clock.instant();
        int released = 0;
        for (Hold hold : store.openHolds(orgId, null, null)) {
            boolean expired = !now.isBefore(hold.expiresAt());
            Team team = store.team(orgId, hold.teamId()).orElse(null);
            boolean orphaned = team == null || !team.active() || !store.isTeamMember(orgId, hold.teamId(), hold.userId())
                    || !store.isActiveMember(orgId, hold.userId());
            if ((expired || orphaned) && holds.releaseBySystem(hold, expired ? "expired" : "owner-or-team-gone", expired && !orphaned)) {
                released++;
            }
        }
        int reset = 0;
        String month = Periods.month(now);
        for (Team team : store.teams(orgId)) {
            if (team.budget().period() == Budget.Period.MONTHLY && team.periodKey().compareTo(month) < 0 && store.rollover(orgId, team.teamId(), month, now)) {
                reset++;
            }
        }
        for (int attempt = 0; attempt < SNAPSHOT_ATTEMPTS; attempt++) {
            // Query is read-committed, not a snapshot: trust the fold only if no credit write moved a
            // sequence number while the counters and the ledger were read. A repair is conditioned on them too.
            Map<String, Long> seqs = store.sequenceNumbers(orgId);
            Account account = store.account(orgId).orElse(Account.EMPTY);
            List<Team> teams = store.teams(orgId);
            List<LedgerEntry> ledger = store.fullLedger(orgId);
            Map<UsageAggregates.Bucket, UsageAggregates.Totals> usage = UsageCheck.stored(store, orgId, teams);
            if (seqs.equals(store.sequenceNumbers(orgId))) {
                List<Drift> drifts = LedgerFold.check(orgId, account, teams, ledger);
                List<UsageAggregates.Mismatch> usageDrifts = UsageCheck.check(usage, ledger);
                int adjustments = repair && !drifts.isEmpty() ? repair(orgId, seqs, teams, drifts, now) : 0;
                adjustments += repair && !usageDrifts.isEmpty() ? UsageCheck.repair(store, orgId, usageDrifts, now) : 0;
                drifts = java.util.stream.Stream.concat(drifts.stream(), UsageCheck.drifts(orgId, usageDrifts).stream()).toList();
                return new OrgReport(orgId, drifts.isEmpty(), false, drifts, released, reset, adjustments);
            }
        }
        Log.warn("reconciliation-skipped-busy", "orgId", orgId);
        Metrics.count("ReconciliationSkipped", 1, Map.of("Job", "Reconcile"));
        return new OrgReport(orgId, true, true, List.of(), released, reset, 0);
    }

    /** Repairs as new ADJUSTMENT entries (never edits), only if nothing moved since the measurement. */
    private int repair(String orgId, Map<String, Long> seqs, List<Team> teams, List<Drift> drifts, Instant now) {
        List<LedgerEntry> entries = LedgerFold.repairs(drifts, teams, com.enterpriseadmin.store.Ids::newId, now);
        if (entries.isEmpty()) {
            return 0;
        }
        Map<String, Long> teamSeqs = new java.util.HashMap<>();
        for (LedgerEntry e : entries) {
            if (e.teamId() != null) {
                teamSeqs.put(e.teamId(), seqs.getOrDefault(e.teamId(), -1L));
            }
        }
        AuditEntry audited = AuditEntry.of(orgId, LedgerEntry.SYSTEM, "credits.reconciled",
                AuditEntry.Target.organization(orgId),
                AuditEntry.state("drifts", drifts.stream().map(d -> java.util.Map.of("teamId", d.teamId() == null ? "" : d.teamId(),
                        "counter", d.counter(), "stored", d.stored(), "fromLedger", d.fromLedger())).toList()),
                AuditEntry.state("adjustments", entries.stream().map(LedgerEntry::entryId).toList()), now);
        boolean written = store.appendAdjustments(orgId, seqs.get(""), teamSeqs, entries, audited);
        Log.warn("reconciliation-repair", "orgId", orgId, "written", written, "entries", entries.size());
        return written ? entries.size() : 0;
    }
}
