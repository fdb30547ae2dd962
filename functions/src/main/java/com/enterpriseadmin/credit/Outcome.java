package com.enterpriseadmin.credit;

import com.enterpriseadmin.error.DomainException;

/**
 * What a credit write run under an Idempotency-Key answers. A first run that is refused throws its
 * refusal; a replay answers what the first run answered, without running again.
 */
public sealed interface Outcome {
    /** True when this answers an earlier request made with the same key. */
    boolean replayed();

    /** The write was applied (now or by the earlier request): the view of its result, as JSON, byte for byte as first answered. */
    record Applied(String view, boolean replayed) implements Outcome {}

    /** The earlier request with this key was refused: the same refusal. */
    record Refused(DomainException refusal) implements Outcome {
        @Override
        public boolean replayed() {
            return true;
        }
    }
}
