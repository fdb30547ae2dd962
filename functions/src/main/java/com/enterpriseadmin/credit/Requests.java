package com.enterpriseadmin.credit;

import com.enterpriseadmin.error.DomainException.InvalidInput;

/** Request bodies of the credit routes, validated on construction (400 naming the field). */
public final class Requests {
    public static final long MAX_AMOUNT = 1_000_000_000_000L;
    static final long MIN_HOLD_SECONDS = 10;
    static final long MAX_HOLD_SECONDS = 7 * 24 * 3600;

    private Requests() {}

    static long requireAmount(Long amount, String field) {
        if (amount == null) {
            throw new InvalidInput(field, "is required");
        }
        if (amount < 1 || amount > MAX_AMOUNT) {
            throw new InvalidInput(field, "must be a whole number from 1 to " + MAX_AMOUNT);
        }
        return amount;
    }

    static String text(String value, String field, int max) {
        if (value == null) {
            return null;
        }
        String trimmed = value.strip();
        if (trimmed.isEmpty()) {
            throw new InvalidInput(field, "must not be blank");
        }
        if (trimmed.codePointCount(0, trimmed.length()) > max) {
            throw new InvalidInput(field, "must be at most " + max + " characters");
        }
        if (trimmed.chars().anyMatch(Character::isISOControl)) {
            throw new InvalidInput(field, "must not contain control characters");
        }
        return trimmed;
    }

    public record TopUp(Long amount, LedgerEntry.TopUpSource source, String reference, String note) {
        public TopUp {
            requireAmount(amount, "amount");
            if (source == null) {
                throw new InvalidInput("source", "is required: one of CONTRACT, PURCHASE, GRANT, ADJUSTMENT");
            }
            reference = text(reference, "reference", 200);
            note = text(note, "note", 1000);
        }
    }

    /** A credit by the billing system: {@code reference} (e.g. an invoice id) is unique per organization. */
    public record BillingCredit(Long amount, LedgerEntry.TopUpSource source, String reference, String note) {
        public BillingCredit {
            requireAmount(amount, "amount");
            if (source == null || source == LedgerEntry.TopUpSource.ADJUSTMENT) {
                throw new InvalidInput("source", "is required: one of CONTRACT, PURCHASE, GRANT");
            }
            if (reference == null) {
                throw new InvalidInput("reference", "is required: the billing system's reference (e.g. the invoice id), unique per organization");
            }
            reference = text(reference, "reference", 200);
            note = text(note, "note", 1000);
        }
    }

    public record Consume(Long amount, String jobId, String description) {
        public Consume {
            requireAmount(amount, "amount");
            jobId = text(jobId, "jobId", 200);
            description = text(description, "description", 1000);
        }
    }

    public record PlaceHold(Long amount, Long expiresInSeconds, String jobId, String description) {
        public PlaceHold {
            requireAmount(amount, "amount");
            if (expiresInSeconds == null) {
                throw new InvalidInput("expiresInSeconds", "is required");
            }
            if (expiresInSeconds < MIN_HOLD_SECONDS || expiresInSeconds > MAX_HOLD_SECONDS) {
                throw new InvalidInput("expiresInSeconds", "must be from " + MIN_HOLD_SECONDS + " to " + MAX_HOLD_SECONDS + " (7 days)");
            }
            jobId = text(jobId, "jobId", 200);
            description = text(description, "description", 1000);
        }
    }

    public record Capture(Long amount, String description) {
        public Capture {
            if (amount == null) {
                throw new InvalidInput("amount", "is required");
            }
            if (amount < 0 || amount > MAX_AMOUNT) {
                throw new InvalidInput("amount", "must be a whole number from 0 to the amount held");
            }
            description = text(description, "description", 1000);
        }
    }

    public record Release(String reason) {
        public Release {
            reason = text(reason, "reason", 200);
        }
    }

    static String requiredText(String value, String field, int max) {
        if (value == null) {
            throw new InvalidInput(field, "is required");
        }
        return text(value, field, max);
    }

    /** A refund of {@code amount} (absent: all that is left) of one consumption or capture. */
    public record Refund(String ledgerEntryId, Long amount, String reason) {
        public Refund {
            if (ledgerEntryId == null || !com.enterpriseadmin.store.Ids.isWellFormed(ledgerEntryId)) {
                throw new InvalidInput("ledgerEntryId", "is required: the entryId of a CONSUMPTION or HOLD_CAPTURED ledger entry (26 letters and digits)");
            }
            if (amount != null) {
                requireAmount(amount, "amount");
            }
            reason = requiredText(reason, "reason", 1000);
        }
    }

    /** A reversal of {@code amount} (absent: all that is left) of a top-up: a negative adjustment. */
    public record Reversal(Long amount, String reason) {
        public Reversal {
            if (amount != null) {
                requireAmount(amount, "amount");
            }
            reason = requiredText(reason, "reason", 1000);
        }
    }

    /** A budget transfer between two LIMITED teams. */
    public record Transfer(String fromTeamId, String toTeamId, Long amount) {
        public Transfer {
            if (fromTeamId == null || !com.enterpriseadmin.store.Ids.isWellFormed(fromTeamId)) {
                throw new InvalidInput("fromTeamId", "is required: a team id (26 letters and digits)");
            }
            if (toTeamId == null || !com.enterpriseadmin.store.Ids.isWellFormed(toTeamId)) {
                throw new InvalidInput("toTeamId", "is required: a team id (26 letters and digits)");
            }
            if (fromTeamId.equals(toTeamId)) {
                throw new com.enterpriseadmin.error.DomainException.Unprocessable("same-team", "a transfer moves limit from one team to another: "
                        + "toTeamId must be another team than fromTeamId").with("field", "toTeamId");
            }
            requireAmount(amount, "amount");
        }
    }
}
