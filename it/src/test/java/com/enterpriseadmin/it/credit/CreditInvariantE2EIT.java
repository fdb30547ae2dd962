package com.enterpriseadmin.it.credit;

import org.junit.jupiter.api.Test;

/** {@link CreditInvariantRun} on the suite's stack: 2,000 mixed credit operations keep every invariant. */
class CreditInvariantE2EIT {

    @Test
    void twoThousandMixedOperationsKeepEveryInvariant() throws Exception {
        new CreditInvariantRun(new CreditFixture(), false).run();
    }
}
