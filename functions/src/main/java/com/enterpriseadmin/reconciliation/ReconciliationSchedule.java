package com.enterpriseadmin.reconciliation;

import com.enterpriseadmin.observability.Log;
import com.enterpriseadmin.observability.Metrics;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * The hourly run: the sweeps that are not per organization (invitation expiry, profile provisioning),
 * then one message per organization on the reconciliation queue, where workers reconcile each
 * organization independently ({@link Reconciliation}). Organizations come from a sparse index, never a
 * scan; the fan-out is SQS (retries, dead-letter queue and bounded concurrency are the queue's).
 */
public final class ReconciliationSchedule {
    /** Every organization's id, lazily (the sparse GSI1 partition {@code ORGANIZATIONS} in production). */
    @FunctionalInterface
    public interface OrganizationIds {
        Stream<String> all();
    }

    /** Where the organizations go to be reconciled one by one; returns how many were handed over. */
    @FunctionalInterface
    public interface Fanout {
        int send(Stream<String> orgIds);
    }

    /** Other sweeps the job runs (invitation expiry, profile provisioning); each returns how many it changed. */
    public interface Sweep {
        String name();

        int run(Instant now);
    }

    public record Report(int organizationsEnqueued, Map<String, Integer> sweeps) {}

    private final OrganizationIds organizations;
    private final Fanout fanout;
    private final List<Sweep> sweeps;
    private final Clock clock;

    public ReconciliationSchedule(OrganizationIds organizations, Fanout fanout, List<Sweep> sweeps, Clock clock) {
        this.organizations = organizations;
        this.fanout = fanout;
        this.sweeps = sweeps;
        this.clock = clock;
    }

    public Report run() {
        Instant now = clock.instant();
        Map<String, Integer> counts = new LinkedHashMap<>();
        List<String> failures = new ArrayList<>();
        for (Sweep sweep : sweeps) {
            try {
                counts.put(sweep.name(), sweep.run(now));
            } catch (RuntimeException e) {
                Log.error("reconciliation-sweep-failed", e, "sweep", sweep.name());
                failures.add(sweep.name());
            }
        }
        // A failed sweep must not hold the organizations back; the run still fails at the end.
        int enqueued;
        try (Stream<String> ids = organizations.all()) {
            enqueued = fanout.send(ids);
        }
        Metrics.count("ReconciliationOrganizations", enqueued, Map.of("Job", "Reconcile"));
        Metrics.count("ReconciliationFailures", failures.size(), Map.of("Job", "Reconcile"));
        if (!failures.isEmpty()) {
            // Failing the invocation makes Lambda retry and the dead-letter queue keep it.
            throw new IllegalStateException("reconciliation sweeps failed: " + failures);
        }
        return new Report(enqueued, counts);
    }
}
