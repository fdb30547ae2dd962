package com.enterpriseadmin.it.credit;

import org.junit.jupiter.api.Test;

/**
 * {@link CreditInvariantRun} on the suite's stack: 2,000 mixed credit operations keep every invariant, with one account
 * lane. Four lanes (docs/scaling.md) run in {@code CreditFaultsE2EIT}, under injected faults: the same operations, lane
 * choice, rebalances and refusals on the sum, plus the retries (one run of 2,000 rather than two, for the suite's time).
 */
class CreditInvariantE2EIT {

    @Test
    void twoThousandMixedOperationsKeepEveryInvariant() throws Exception {
        new CreditInvariantRun(new CreditFixture(), false).run();
    }
}
