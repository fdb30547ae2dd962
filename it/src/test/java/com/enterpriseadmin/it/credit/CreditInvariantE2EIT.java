package com.enterpriseadmin.it.credit;

import org.junit.jupiter.api.Test;

/** {@link CreditInvariantRun} on the suite's stack: 2,000 mixed credit operations keep every invariant, with one account lane and with four. */
class CreditInvariantE2EIT {

    @Test
    void twoThousandMixedOperationsKeepEveryInvariant() throws Exception {
        new CreditInvariantRun(new CreditFixture(), false).run();
    }

    /** The same with the organization's available credits split into 4 escrow lanes (docs/scaling.md): short lanes rebalance, refusals only when the sum is short. */
    @Test
    void twoThousandMixedOperationsOnFourAccountLanesKeepEveryInvariant() throws Exception {
        new CreditInvariantRun(new CreditFixture(), false, 4).run();
    }
}
