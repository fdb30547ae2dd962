package com.enterpriseadmin.team;

import java.util.List;

/**
 * The outcome of one of {@link TeamStore}'s transactions, free of AWS types: committed, or the
 * cancellation code of each action ({@code None}, {@code ConditionalCheckFailed},
 * {@code TransactionConflict}, ...) in the order the store documents.
 */
record TxOutcome(List<String> codes) {
    static final TxOutcome COMMITTED = new TxOutcome(List.of());

    boolean committed() {
        return codes.isEmpty();
    }

    boolean failed(int action) {
        return action < codes.size() && "ConditionalCheckFailed".equals(codes.get(action));
    }

    /** Cancelled only because of concurrent transactions: trying again may succeed. */
    boolean onlyConflicts() {
        boolean any = false;
        for (String code : codes) {
            if ("TransactionConflict".equals(code)) {
                any = true;
            } else if (code != null && !"None".equals(code)) {
                return false;
            }
        }
        return any;
    }

    IllegalStateException unexpected(String what) {
        return new IllegalStateException(what + " cancelled: " + codes);
    }
}
