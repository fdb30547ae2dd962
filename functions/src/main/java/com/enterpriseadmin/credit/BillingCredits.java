package com.enterpriseadmin.credit;

import com.enterpriseadmin.audit.AuditEntry;
import com.enterpriseadmin.auth.Policy;
import com.enterpriseadmin.error.DomainException.Unprocessable;
import com.enterpriseadmin.http.Json;
import com.enterpriseadmin.observability.Metrics;
import com.enterpriseadmin.store.Ids;
import com.enterpriseadmin.store.Item;
import com.enterpriseadmin.store.Retry;
import java.time.Clock;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * Credits minted by the platform's billing system (or the operator) for what an organization bought:
 * {@code POST /v1/billing/organizations/{orgId}/credits}, an IAM-authorized route (SigV4), never open to
 * organization members. Each credit names the billing system's {@code reference} (an invoice, a
 * contract), unique per organization: a put that only creates the reference item rides in the credit's
 * transaction, so the same reference never credits twice; asking again with the same amount and source
 * replays the first answer, anything else under that reference is 422 {@code reference-reused}.
 */
public final class BillingCredits {
    private final CreditStore store;
    private final Json json;
    private final Clock clock;

    public BillingCredits(CreditStore store, Json json, Clock clock) {
        this.store = store;
        this.json = json;
        this.clock = clock;
    }

    /** Who called: the IAM identity API Gateway verified ({@code requestContext.authorizer.iam}). */
    public record BillingPrincipal(String userArn, String accountId, String accessKey) {
        public BillingPrincipal {
            if (userArn == null || userArn.isBlank()) {
                throw new com.enterpriseadmin.error.DomainException.Unauthenticated("no IAM identity: this route is for the billing system (SigV4)");
            }
        }
    }

    /** Answers the TOP_UP ledger entry ({@link Credits.EntryView}), now or as first answered for this reference. */
    public Outcome credit(BillingPrincipal principal, String orgId, Requests.BillingCredit body) {
        if (!Ids.isWellFormed(orgId)) {
            throw Policy.notFound();
        }
        Instant now = clock.instant();
        LedgerEntry entry = LedgerEntry.topUp(Ids.newId(), now, principal.userArn(), body.amount(), body.source(), body.reference(), body.note());
        String view = json.write(Credits.EntryView.of(entry));
        AuditEntry audited = AuditEntry.of(orgId, principal.userArn(), "credits.billed", new AuditEntry.Target("ledger-entry", entry.entryId()),
                Map.of(), AuditEntry.state("amount", body.amount(), "source", body.source(), "reference", body.reference(),
                        "accountId", principal.accountId()), now);
        return Retry.until(Credits.BUSY, n -> {
            CreditStore.BillingResult result = store.billingCredit(orgId, entry, view, audited);
            return switch (result.commit()) {
                case COMMITTED -> {
                    Metrics.count("CreditsBilled", body.amount(), Map.of("Source", body.source().name()));
                    yield Optional.of(new Outcome.Applied(view, false));
                }
                case CONTENDED -> Optional.empty();
                case NO_ORGANIZATION -> throw Policy.notFound();
                case REFERENCE_EXISTS -> Optional.of(replay(result.reference().orElseGet(
                        () -> store.billingReference(orgId, body.reference()).orElseThrow(() -> new IllegalStateException("reference vanished"))), body));
            };
        });
    }

    private static Outcome replay(Map<String, AttributeValue> reference, Requests.BillingCredit body) {
        if (Item.num(reference, "amount") != body.amount() || !body.source().name().equals(Item.str(reference, "source"))) {
            throw new Unprocessable("reference-reused", "reference " + body.reference() + " was already credited with "
                    + Item.num(reference, "amount") + " credits (" + Item.str(reference, "source") + "); a new credit needs a new reference")
                    .with("entryId", Item.str(reference, "entryId"));
        }
        return new Outcome.Applied(Item.str(reference, "view"), true);
    }
}
