package com.enterpriseadmin.credit;

import com.enterpriseadmin.invitation.KeyedRuns;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * {@link Idempotency} records for operations other than credit writes that are several transactions (a batch of
 * invitations): claim the key, run, complete the record with the answer in its own write. A failure in the middle
 * gives the key back (the rows already done stay done; the retry finds them, e.g. invitations already pending).
 */
public final class IdempotentRuns implements KeyedRuns {
    private final Idempotency idempotency;

    public IdempotentRuns(Idempotency idempotency) {
        this.idempotency = idempotency;
    }

    @Override
    public Answer run(String orgId, String key, String fingerprint, Supplier<String> work) {
        return switch (idempotency.claim(orgId, key, fingerprint)) {
            case Idempotency.Claimed.Earlier earlier -> answer(earlier.outcome());
            case Idempotency.Claimed.Granted granted -> {
                String json;
                try {
                    json = work.get();
                } catch (RuntimeException failure) {
                    Optional<Outcome> completed = idempotency.abandon(granted.claim());
                    yield completed.map(IdempotentRuns::answer).orElseThrow(() -> failure);
                }
                yield idempotency.completeAlone(granted.claim(), json).map(IdempotentRuns::answer).orElse(new Answer(json, false));
            }
        };
    }

    private static Answer answer(Outcome outcome) {
        return switch (outcome) {
            case Outcome.Applied applied -> new Answer(applied.view(), applied.replayed());
            case Outcome.Refused refused -> throw refused.refusal();
        };
    }
}
