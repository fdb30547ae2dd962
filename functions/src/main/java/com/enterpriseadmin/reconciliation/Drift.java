package com.enterpriseadmin.reconciliation;

/** One counter that differs from the fold of its ledger entries: {@code drift = counter − ledger}. */
public record Drift(String orgId, String teamId, String counter, long stored, long fromLedger) {
    public long drift() {
        return stored - fromLedger;
    }
}
