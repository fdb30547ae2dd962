package com.enterpriseadmin.reconciliation;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.enterpriseadmin.audit.AuditStore;
import com.enterpriseadmin.auth.Policy;
import com.enterpriseadmin.credit.CreditStore;
import com.enterpriseadmin.credit.HoldClosing;
import com.enterpriseadmin.credit.Idempotency;
import com.enterpriseadmin.http.Json;
import com.enterpriseadmin.support.FakeDynamo;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * What one organization's run costs in round trips when there is nothing to do: the job runs for every
 * organization every hour, so its fixed reads are what 10^3 organizations multiply (bench/README.md,
 * ReconciliationBench). The housekeeping's reads (teams, open holds) double as the first measurement's.
 */
class ReconciliationRoundTripsTest {
    private static final String ORG = "0example0organization00001";
    private final FakeDynamo dynamo = new FakeDynamo();
    private final Json json = new Json();
    private final Clock clock = Clock.fixed(Instant.parse("2026-11-28T02:00:00Z"), ZoneOffset.UTC);

    private Reconciliation reconciliation() {
        AuditStore audit = new AuditStore(dynamo.db, json);
        CreditStore credits = new CreditStore(dynamo.db, audit);
        HoldClosing holds = new HoldClosing(new Policy((org, user) -> Optional.empty()), credits, new Idempotency(dynamo.db, json, clock), audit, json, clock);
        return new Reconciliation(credits, new ReconciliationStore(dynamo.db, audit), holds, clock, false, Duration.ZERO);
    }

    @Test
    void anIdleOrganizationIsReadOnceNotTwice() {
        Reconciliation.OrgReport report = reconciliation().reconcile(ORG);
        assertTrue(report.consistent(), report.toString());
        // Reads: sequence numbers (account GetItem + teams Query), teams, open holds, checkpoint, account,
        // ledger since the checkpoint (the account item first: how many lane ledgers there are, docs/scaling.md),
        // open-hold counters, sequence numbers again (2), invitees: 12 with one lane (a BatchGetItem more per lanes
        // read with K > 1). Before the housekeeping's reads were reused: 13 (its teams and open holds read again).
        assertEquals(12, dynamo.reads.size() + dynamo.queries.size(), "reads " + dynamo.reads + " queries " + dynamo.queries);
        assertEquals(1, dynamo.writes.size() + dynamo.transactions.size(), "one write: the checkpoint");
    }
}
