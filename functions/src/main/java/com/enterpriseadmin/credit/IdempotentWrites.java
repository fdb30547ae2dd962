package com.enterpriseadmin.credit;

import com.enterpriseadmin.error.DomainException;
import com.enterpriseadmin.store.Ids;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * Runs a credit write under its Idempotency-Key: authorize, claim the key (or answer the earlier
 * outcome), run, and leave the record right whatever happens — completed by the write's own
 * transaction, completed with a business refusal, or given back after a failure that a retry may not
 * meet (contention, an unexpected error).
 */
final class IdempotentWrites {
    private final Idempotency idempotency;

    IdempotentWrites(Idempotency idempotency) {
        this.idempotency = idempotency;
    }

    /** The write itself: given the authorization and the claim, it moves the credits (completing the claim) and answers the view's JSON. */
    @FunctionalInterface
    interface Write<A> {
        String run(A authorized, Idempotency.Claim claim);
    }

    /**
     * A caller refused by {@code authorize} still gets the outcome of a request they made earlier with
     * this key (their seat may have gone since), so that a retry never reads as "not applied".
     */
    <A> Outcome run(String orgId, String key, String fingerprint, Supplier<A> authorize, Write<A> write) {
        A authorized;
        try {
            authorized = authorize.get();
        } catch (DomainException refused) {
            if (!Ids.isWellFormed(orgId)) {
                throw refused;
            }
            return idempotency.replay(orgId, key, fingerprint).orElseThrow(() -> refused);
        }
        return switch (idempotency.claim(orgId, key, fingerprint)) {
            case Idempotency.Claimed.Earlier earlier -> earlier.outcome();
            case Idempotency.Claimed.Granted granted -> runClaimed(granted.claim(), authorized, write);
        };
    }

    /**
     * A failure after the claim leaves the record right; if the record turns out COMPLETED (the write landed but
     * its answer was lost, or another attempt took over), its outcome is the answer, not the failure.
     */
    private <A> Outcome runClaimed(Idempotency.Claim claim, A authorized, Write<A> write) {
        try {
            return new Outcome.Applied(write.run(authorized, claim), false);
        } catch (DomainException refusal) {
            Optional<Outcome> completed = RememberedRefusal.kept(refusal) ? idempotency.remember(claim, refusal) : idempotency.abandon(claim);
            return completed.orElseThrow(() -> refusal);
        } catch (RuntimeException unexpected) {
            return idempotency.abandon(claim).orElseThrow(() -> unexpected);
        }
    }
}
