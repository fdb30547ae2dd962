package com.enterpriseadmin.credit;

import com.enterpriseadmin.audit.AuditEntry;
import com.enterpriseadmin.audit.AuditStore;
import com.enterpriseadmin.auth.Action;
import com.enterpriseadmin.auth.Caller;
import com.enterpriseadmin.auth.Policy;
import com.enterpriseadmin.auth.Standing;
import com.enterpriseadmin.error.DomainException.Conflict;
import com.enterpriseadmin.error.DomainException.NotFound;
import com.enterpriseadmin.http.Json;
import com.enterpriseadmin.observability.Metrics;
import com.enterpriseadmin.store.Ids;
import com.enterpriseadmin.store.Retry;
import com.enterpriseadmin.store.Tx;
import java.time.Clock;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;

/**
 * Corrections by an organization OWNER/ADMIN, each ONE transaction with its ledger entry under an Idempotency-Key:
 * a refund gives back all or part of one consumption or capture (a REFUND entry), a reversal takes back all or part
 * of a mistaken top-up (a negative ADJUSTMENT entry). What an entry gave can never be given back twice: the sum of
 * its refunds (reversals) is a counter on the entry's own item, bounded by the entry's amount in the transaction's
 * condition, never a read-then-check (docs/credits.md, "Refunds and reversals").
 */
public final class Refunds {
    private final Policy policy;
    private final CreditStore store;
    private final Idempotency idempotency;
    private final IdempotentWrites writes;
    private final AuditStore audit;
    private final Json json;
    private final Clock clock;
    private final Lanes lanes;

    public Refunds(Policy policy, CreditStore store, Idempotency idempotency, AuditStore audit, Json json, Clock clock) {
        this.policy = policy;
        this.store = store;
        this.idempotency = idempotency;
        this.writes = new IdempotentWrites(idempotency);
        this.audit = audit;
        this.json = json;
        this.clock = clock;
        this.lanes = new Lanes(store, clock);
    }

    private record Authorized(Standing standing, LedgerEntry original) {}

    /** Refunds {@code body.amount()} (absent: all that is left) of a consumption or a capture. Answers the REFUND entry. */
    public Outcome refund(Caller caller, String orgId, String key, Requests.Refund body) {
        String fingerprint = Idempotency.fingerprint("POST", "refunds", orgId, caller.userId(), json.write(body));
        return writes.run(orgId, key, fingerprint, () -> authorize(caller, orgId, body.ledgerEntryId(), true), (authorized, claim) -> {
            LedgerEntry original = authorized.original();
            java.util.concurrent.atomic.AtomicBoolean withSeat = new java.util.concurrent.atomic.AtomicBoolean(true);
            return Retry.until(Credits.BUSY, n -> {
                Instant now = clock.instant();
                long amount = amount(orgId, original, body.amount());
                String periodKey = store.currentTeam(orgId, original.teamId(), now).periodKey();
                LedgerEntry entry = LedgerEntry.refund(Ids.newId(), now, original, amount, body.reason(), caller.userId());
                String view = json.write(Credits.EntryView.of(entry));
                CreditStore.Correction c = store.refund(orgId, original, entry, periodKey, withSeat.get(),
                        rider(claim, view, audited(orgId, caller, "credits.refunded", original, amount, body.reason(), entry, now)));
                if (c.seatMoved()) {
                    withSeat.set(false);
                }
                return settled(c, view, original, body.amount(), "CreditsRefunded", amount);
            });
        });
    }

    /** Reverses {@code body.amount()} (absent: all that is left) of a top-up: a negative adjustment. Answers the ADJUSTMENT entry. */
    public Outcome reverseTopUp(Caller caller, String orgId, String topUpEntryId, String key, Requests.Reversal body) {
        String fingerprint = Idempotency.fingerprint("POST", "top-ups/reversals", orgId, topUpEntryId, caller.userId(), json.write(body));
        return writes.run(orgId, key, fingerprint, () -> authorize(caller, orgId, topUpEntryId, false), (authorized, claim) -> {
            LedgerEntry original = authorized.original();
            return Retry.until(Credits.BUSY, n -> {
                Instant now = clock.instant();
                long amount = amount(orgId, original, body.amount());
                LedgerEntry entry = LedgerEntry.topUpReversal(Ids.newId(), now, original, amount, body.reason(), caller.userId());
                String view = json.write(Credits.EntryView.of(entry));
                CreditStore.Correction c = store.reverseTopUp(orgId, original, entry,
                        rider(claim, view, audited(orgId, caller, "credits.top-up-reversed", original, amount, body.reason(), entry, now)));
                if (c.accountShort()) {
                    // The debit is on lane 0 (the account item). With escrow lanes (K > 1) the organization's credits are
                    // the lanes' sum: gather them into lane 0 and try again; refused only when the sum is short.
                    if (lanes.gather(orgId, amount)) {
                        return Optional.empty();
                    }
                    long available = store.account(orgId).map(Account::available).orElse(0L);
                    throw new Conflict("reversal-exceeds-available", "the organization has " + available + " credits available; reversing "
                            + amount + " would take it below zero").with("available", available).with("requested", amount);
                }
                return settled(c, view, original, body.amount(), "CreditsReversed", amount);
            });
        });
    }

    /**
     * Permission (OWNER/ADMIN) and the entry named, decided before the key is taken: an entry not found (or not yet in
     * the index a moment after it was written) claims nothing, so the same key may be sent again.
     */
    private Authorized authorize(Caller caller, String orgId, String entryId, boolean refund) {
        Standing standing = policy.require(caller, orgId, refund ? Action.CORRECT_CREDITS : Action.TOP_UP);
        LedgerEntry original = store.ledgerEntry(orgId, entryId)
                .orElseThrow(() -> new NotFound("ledger-entry-not-found", "no such ledger entry in this organization"));
        if (refund && !original.refundable()) {
            throw new Conflict("entry-not-refundable", "only a CONSUMPTION or a HOLD_CAPTURED entry can be refunded; this entry is a "
                    + original.kind() + (original.kind() == LedgerEntry.Kind.TOP_UP ? " (reverse it through its top-up's reversals)" : ""))
                    .with("kind", original.kind().name());
        }
        if (!refund && original.kind() != LedgerEntry.Kind.TOP_UP) {
            throw new Conflict("entry-not-a-top-up", "only a TOP_UP entry can be reversed; this entry is a " + original.kind())
                    .with("kind", original.kind().name());
        }
        return new Authorized(standing, original);
    }

    /** The amount asked for, or all that is left (as read: the transaction's condition decides). */
    private long amount(String orgId, LedgerEntry original, Long asked) {
        long refunded = store.refunded(orgId, original.entryId());
        long amount = asked != null ? asked : original.amount() - refunded;
        if (amount < 1 || refunded + amount > original.amount()) {
            throw exceeds(original, refunded, amount);
        }
        return amount;
    }

    private Optional<String> settled(CreditStore.Correction c, String view, LedgerEntry original, Long asked, String metric, long amount) {
        switch (c.commit()) {
            case COMMITTED -> {
                Metrics.count(metric, amount, Map.of());
                return Optional.of(view);
            }
            case CALLER_REFUSED -> throw Idempotency.takenOver();
            case CONTENDED -> {
                return Optional.empty();
            }
            case REFUSED -> {
                if (c.exceedsEntry() && asked != null) {
                    throw exceeds(original, c.refunded(), asked);
                }
                // All that is left changed meanwhile, or the team's period moved: read again.
                return Optional.empty();
            }
        }
        throw new IllegalStateException(c.toString());
    }

    private static Conflict exceeds(LedgerEntry original, long refunded, long asked) {
        long left = Math.max(0, original.amount() - refunded);
        return new Conflict("refund-exceeds-entry", "the entry was for " + original.amount() + " credits, " + refunded
                + " of them given back already: at most " + left + " can be given back now")
                .with("entryAmount", original.amount()).with("refunded", refunded).with("refundable", left).with("requested", asked);
    }

    private CreditStore.Rider rider(Idempotency.Claim claim, String view, AuditEntry audited) {
        return tx -> {
            Tx.Action completion = idempotency.complete(tx, claim, view);
            audit.record(tx, audited);
            return Optional.of(completion);
        };
    }

    private static AuditEntry audited(String orgId, Caller caller, String action, LedgerEntry original, long amount, String reason,
                                      LedgerEntry entry, Instant now) {
        return AuditEntry.of(orgId, caller.userId(), action, new AuditEntry.Target("ledger-entry", original.entryId()),
                AuditEntry.state("kind", original.kind(), "amount", original.amount(), "teamId", original.teamId(), "userId", original.userId()),
                AuditEntry.state("refunded", amount, "reason", reason, "entryId", entry.entryId()), now);
    }
}
