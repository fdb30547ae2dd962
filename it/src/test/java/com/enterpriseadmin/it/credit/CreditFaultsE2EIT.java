package com.enterpriseadmin.it.credit;

import com.enterpriseadmin.it.TestStack;
import org.junit.jupiter.api.Test;

/**
 * {@link CreditInvariantRun} on a stack of its own whose functions meet injected DynamoDB faults
 * ({@code LocalStack --dynamodb-faults}, {@code com.enterpriseadmin.local.DynamoDbFaults}): throttling,
 * {@code TransactionConflict} cancellations, 500s and answers lost after the write was applied, drawn per
 * attempt from a fixed seed. No debit lost or doubled, every counter equal to the fold of its ledger, the
 * reconciliation job reporting zero drift, and every answer a documented one (the only 5xx: 503 busy,
 * which the client's retry with the same key settles). Prints the faults of each kind.
 */
class CreditFaultsE2EIT {
    static final String FAULTS = "seed=20261130,throttle=0.05,conflict=0.05,error500=0.02,timeoutAfterWrite=0.02";

    @Test
    void twoThousandMixedOperationsUnderInjectedDynamoDbFaultsKeepEveryInvariant() throws Exception {
        new CreditInvariantRun(new CreditFixture(TestStack.withDynamoDbFaults(FAULTS), true), true).run();
    }

    /** The same on four account lanes: lane choice, rebalances and refusals on the sum under the same faults. */
    @Test
    void twoThousandMixedOperationsOnFourAccountLanesUnderInjectedDynamoDbFaultsKeepEveryInvariant() throws Exception {
        new CreditInvariantRun(new CreditFixture(TestStack.withDynamoDbFaults(FAULTS), true), true, 4).run();
    }
}
