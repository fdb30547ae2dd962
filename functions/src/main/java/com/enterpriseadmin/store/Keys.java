package com.enterpriseadmin.store;

import java.util.Locale;

/**
 * The single-table key design, written down once. Every key in the code is built here.
 *
 * <p>Table attributes: {@code PK}, {@code SK} (primary key), {@code GSI1PK}/{@code GSI1SK} and
 * {@code GSI2PK}/{@code GSI2SK} (two overloaded global secondary indexes, projection ALL),
 * {@code ttl} (epoch seconds, DynamoDB TTL), {@code type} (item kind, for humans and scans).
 * The full table with access patterns is in {@code docs/key-design.md}.
 *
 * <pre>
 * item                   PK                          SK                              GSI1PK / GSI1SK                          GSI2PK / GSI2SK
 * user profile           USER#{userId}               PROFILE                         EMAIL#{email} / USER
 * organization           ORG#{orgId}                 ORG                             ORGANIZATIONS / {orgId}  (sparse: only organizations)
 * org membership         ORG#{orgId}                 MEMBER#{userId}                 USER#{userId} / ORG#{orgId}
 * directory entry        ORG#{orgId}#DIRECTORY       EMAIL#{email}#{userId}, NAME#{name}#{userId} (normalised, lower-case)
 * org-create window      USER#{userId}               ORG_CREATE#{yyyy-MM-dd}         (ttl: two days later)
 * inviter rate window    USER#{userId}               INVITE_RATE#{yyyy-MM-dd}        (ttl: two days later)
 * invitee pending count  USER#{userId}               PENDING_INVITATIONS
 * invitation             INVITATION#{invitationId}   INVITATION                      ORG#{orgId}#INVITATIONS / {createdAt}#{id}  INVITEE#{inviteeUserId} / {createdAt}#{id}
 * pending-invite lock    ORG#{orgId}                 PENDING_INVITATION#{email}
 * invite rate window     ORG#{orgId}                 INVITE_RATE#{yyyy-MM-dd}        (ttl: two days later)
 * team                   ORG#{orgId}                 TEAM#{teamId}
 * team-name lock         ORG#{orgId}                 TEAM_NAME#{normalised name}
 * team member            ORG#{orgId}                 TEAMMEMBER#{teamId}#{userId}
 * credit account         ORG#{orgId}                 ACCOUNT                         (= lane 0; also lanes, laneItems)
 * account lane i ≥ 1     ORG#{orgId}#LANE#{i}        ACCOUNT
 * hold                   ORG#{orgId}                 HOLD#{holdId}
 * open-hold counter      ORG#{orgId}                 OPEN_HOLDS#{userId}
 * billing reference      ORG#{orgId}                 BILLING_REFERENCE#{reference}
 * reconciliation cp.     ORG#{orgId}                 RECONCILED
 * ledger entry           ORG#{orgId}#LEDGER          {at}#{entryId}                  ORG#{orgId}#TEAM#{teamId} / {at}#{entryId}
 * … of account lane i ≥ 1 ORG#{orgId}#LEDGER#{i}     {at}#{entryId}                  as above
 * usage per member·day   ORG#{orgId}#USAGE#{teamId}  DAY#{yyyy-MM-dd}#{userId}       ORG#{orgId}#USAGE#{teamId}#MEMBER#{userId} / DAY#{yyyy-MM-dd}
 * usage per member·month ORG#{orgId}#USAGE#{teamId}  MONTH#{yyyy-MM}#{userId}        ORG#{orgId}#USAGE#{teamId}#MEMBER#{userId} / MONTH#{yyyy-MM}
 * asset                  ORG#{orgId}                 ASSET#{assetId}                 ASSET_UPLOADS / {createdAt}#{orgId}#{assetId} while UPLOADING
 * storage counter        ORG#{orgId}                 STORAGE
 * audit entry            ORG#{orgId}#AUDIT           {at}#{entryId}
 * idempotency record     IDEMPOTENCY#{orgId}#{key}   IDEMPOTENCY                     (ttl: 48 h after creation)
 * webhook endpoint       ORG#{orgId}                 WEBHOOK#{webhookId}
 * webhook delivery       ORG#{orgId}#WEBHOOK#{id}    DELIVERY#{eventId}              (ttl: 30 days after the event)
 * budget alert           ORG#{orgId}#ALERTS          {scope}#{period}#{ttt}#{direction}   scope TEAM#{teamId} | ORG; ttt = threshold, 3 digits
 * notification sent      NOTIFICATION#{dedupeKey}    NOTIFICATION                    (ttl: 30 days)
 * (ledger entry, again)                                                                                                      ORG#{orgId}#ENTRY#{entryId} / LEDGER  (refundable and top-up entries)
 * refunded counter       ORG#{orgId}                 REFUNDED#{entryId}
 * budget request         ORG#{orgId}                 BUDGET_REQUEST#{requestId}
 * (none: priming read)   SNAPSTART_PRIMING           SNAPSTART_PRIMING[#CHECK|PUT|DELETE]  never written; read (and named by an always-cancelled transaction) by the SnapStart priming
 * </pre>
 * {@code at} is an ISO-8601 UTC instant with millisecond precision ({@code 2026-11-28T01:02:03.456Z}),
 * so lexical order is time order and {@code from/to} filters are key ranges.
 */
public final class Keys {
    public static final String PK = "PK";
    public static final String SK = "SK";
    public static final String GSI1 = "GSI1";
    public static final String GSI1PK = "GSI1PK";
    public static final String GSI1SK = "GSI1SK";
    public static final String GSI2 = "GSI2";
    public static final String GSI2PK = "GSI2PK";
    public static final String GSI2SK = "GSI2SK";
    public static final String TTL = "ttl";
    public static final String TYPE = "type";

    private Keys() {}

    // ---- users
    /** The key SnapStart priming reads (config.Priming): no item ever has it, nothing writes it. */
    public static Key priming() { return PRIMING; }
    private static final Key PRIMING = new Key("SNAPSTART_PRIMING", "SNAPSTART_PRIMING");

    public static Key userProfile(String userId) { return new Key("USER#" + userId, "PROFILE"); }
    public static String emailIndex(String email) { return "EMAIL#" + email.toLowerCase(Locale.ROOT); }
    public static String userIndex(String userId) { return "USER#" + userId; }
    /** Organizations this user created in one UTC day (the per-user creation limit). */
    public static Key orgCreateWindow(String userId, String day) { return new Key(userIndex(userId), "ORG_CREATE#" + day); }
    /** Invitations this user sent (created or resent) in one UTC day, across organizations. */
    public static Key inviterRateWindow(String userId, String day) { return new Key(userIndex(userId), "INVITE_RATE#" + day); }
    /** How many PENDING invitations this user holds, across organizations. */
    public static Key inviteePending(String userId) { return new Key(userIndex(userId), "PENDING_INVITATIONS"); }

    // ---- organizations
    public static String org(String orgId) { return "ORG#" + orgId; }
    public static Key organization(String orgId) { return new Key(org(orgId), "ORG"); }
    /** GSI1 partition listing every organization (only organization items carry it: a sparse index, never a scan). */
    public static final String ORGANIZATIONS_INDEX = "ORGANIZATIONS";
    public static Key membership(String orgId, String userId) { return new Key(org(orgId), MEMBER_PREFIX + userId); }
    public static final String MEMBER_PREFIX = "MEMBER#";

    /**
     * The organization's user directory (search by prefix): one entry per member and term, in a partition of its
     * own so that a {@code begins_with} Query reads only matches. {@code term} is {@code EMAIL} or {@code NAME};
     * {@code value} is the normalised (NFKC, lower-case) e-mail or name; the user id ends the key (unique).
     */
    public static String directory(String orgId) { return org(orgId) + "#DIRECTORY"; }
    public static String directoryPrefix(String term, String normalisedPrefix) { return term + "#" + normalisedPrefix; }
    public static Key directoryEntry(String orgId, String term, String normalisedValue, String userId) {
        return new Key(directory(orgId), directoryPrefix(term, normalisedValue) + "#" + userId);
    }

    // ---- invitations
    public static Key invitation(String invitationId) { return new Key("INVITATION#" + invitationId, "INVITATION"); }
    public static String orgInvitationsIndex(String orgId) { return org(orgId) + "#INVITATIONS"; }
    /** GSI2 partition of the invitations addressed to a person: their user id (Cognito {@code sub}), never their e-mail. */
    public static String inviteeIndex(String inviteeUserId) { return "INVITEE#" + inviteeUserId; }
    public static Key pendingInvitation(String orgId, String email) { return new Key(org(orgId), "PENDING_INVITATION#" + email.toLowerCase(Locale.ROOT)); }
    public static Key inviteRateWindow(String orgId, String day) { return new Key(org(orgId), "INVITE_RATE#" + day); }

    // ---- teams
    public static final String TEAM_PREFIX = "TEAM#";
    public static Key team(String orgId, String teamId) { return new Key(org(orgId), TEAM_PREFIX + teamId); }
    public static Key teamName(String orgId, String normalisedName) { return new Key(org(orgId), "TEAM_NAME#" + normalisedName); }
    public static final String TEAM_MEMBER_PREFIX = "TEAMMEMBER#";
    public static Key teamMember(String orgId, String teamId, String userId) { return new Key(org(orgId), TEAM_MEMBER_PREFIX + teamId + "#" + userId); }
    public static String teamMembersPrefix(String teamId) { return TEAM_MEMBER_PREFIX + teamId + "#"; }

    // ---- credits
    public static Key account(String orgId) { return new Key(org(orgId), "ACCOUNT"); }
    /** Lane {@code i} of the account's available credits: lane 0 is the account item itself, lane i ≥ 1 a partition of its own. */
    public static Key accountLane(String orgId, int lane) { return lane == 0 ? account(orgId) : new Key(org(orgId) + "#LANE#" + lane, "ACCOUNT"); }
    public static final String HOLD_PREFIX = "HOLD#";
    public static Key hold(String orgId, String holdId) { return new Key(org(orgId), HOLD_PREFIX + holdId); }
    public static final String OPEN_HOLDS_PREFIX = "OPEN_HOLDS#";
    public static Key openHolds(String orgId, String userId) { return new Key(org(orgId), OPEN_HOLDS_PREFIX + userId); }
    /** The reconciliation's checkpoint of an organization: its ledger folded up to a sort key. */
    public static Key reconciliationCheckpoint(String orgId) { return new Key(org(orgId), "RECONCILED"); }
    public static Key billingReference(String orgId, String reference) { return new Key(org(orgId), "BILLING_REFERENCE#" + reference); }
    public static String ledger(String orgId) { return org(orgId) + "#LEDGER"; }
    public static Key ledgerEntry(String orgId, String at, String entryId) { return new Key(ledger(orgId), at + "#" + entryId); }
    /** The ledger partition of account lane {@code lane}: lane 0's is the organization's ledger, lane i ≥ 1 has its own (K × 500 entries/s). */
    public static String laneLedger(String orgId, int lane) { return lane == 0 ? ledger(orgId) : ledger(orgId) + "#" + lane; }
    public static Key laneLedgerEntry(String orgId, int lane, String at, String entryId) { return new Key(laneLedger(orgId, lane), at + "#" + entryId); }
    public static String teamLedgerIndex(String orgId, String teamId) { return org(orgId) + "#TEAM#" + teamId; }
    /** The partition of a team's usage aggregates (per member and UTC day or month). */
    public static String usage(String orgId, String teamId) { return org(orgId) + "#USAGE#" + teamId; }
    /** Sort key of a usage aggregate, and prefix of its grain and period: {@code DAY#2026-11-28#}, {@code MONTH#2026-11#}. */
    public static String usagePeriod(String grain, String period) { return grain + "#" + period + "#"; }
    public static Key usageItem(String orgId, String teamId, String grain, String period, String userId) {
        return new Key(usage(orgId, teamId), usagePeriod(grain, period) + userId);
    }
    /** GSI1 partition of one member's usage aggregates in a team (sort key {@code DAY#{day}} / {@code MONTH#{month}}). */
    public static String memberUsageIndex(String orgId, String teamId, String userId) { return usage(orgId, teamId) + "#MEMBER#" + userId; }
    /** GSI2 partition of one ledger entry by its id (the entries a refund or a reversal can name: consumptions, captures, top-ups). */
    public static String ledgerEntryIndex(String orgId, String entryId) { return org(orgId) + "#ENTRY#" + entryId; }
    /** How much of a ledger entry was refunded (a consumption, a capture) or reversed (a top-up): the condition that bounds it. */
    public static Key refunded(String orgId, String entryId) { return new Key(org(orgId), "REFUNDED#" + entryId); }
    public static final String BUDGET_REQUEST_PREFIX = "BUDGET_REQUEST#";
    public static Key budgetRequest(String orgId, String requestId) { return new Key(org(orgId), BUDGET_REQUEST_PREFIX + requestId); }
    public static Key idempotency(String orgId, String key) { return new Key("IDEMPOTENCY#" + orgId + "#" + key, "IDEMPOTENCY"); }

    // ---- reference assets
    public static final String ASSET_PREFIX = "ASSET#";
    public static Key asset(String orgId, String assetId) { return new Key(org(orgId), ASSET_PREFIX + assetId); }
    /** The organization's storage counter (bytes used by READY assets, reserved by uploads under way). */
    public static Key storage(String orgId) { return new Key(org(orgId), "STORAGE"); }
    /** GSI1 partition of the uploads under way, every organization's (sparse: only UPLOADING assets carry it; the sweep's index). */
    public static final String ASSET_UPLOADS_INDEX = "ASSET_UPLOADS";

    // ---- audit
    public static String audit(String orgId) { return org(orgId) + "#AUDIT"; }
    public static Key auditEntry(String orgId, String at, String entryId) { return new Key(audit(orgId), at + "#" + entryId); }

    // ---- webhooks (docs/key-design.md, "Webhooks")
    public static final String WEBHOOK_PREFIX = "WEBHOOK#";
    public static Key webhook(String orgId, String webhookId) { return new Key(org(orgId), WEBHOOK_PREFIX + webhookId); }
    /** The partition of one endpoint's deliveries; event ids start with their time, so the sort key is time order. */
    public static String webhookDeliveries(String orgId, String webhookId) { return org(orgId) + "#WEBHOOK#" + webhookId; }
    public static final String DELIVERY_PREFIX = "DELIVERY#";
    public static Key webhookDelivery(String orgId, String webhookId, String eventId) {
        return new Key(webhookDeliveries(orgId, webhookId), DELIVERY_PREFIX + eventId);
    }

    // ---- notifications
    /** The partition of an organization's budget alerts. */
    public static String alerts(String orgId) { return org(orgId) + "#ALERTS"; }
    /** One budget alert: at most one per scope ({@code TEAM#{teamId}} or {@code ORG}), period, threshold (a team's percent, the organization's credits) and direction. */
    public static Key alert(String orgId, String scope, String period, long threshold, String direction) {
        return new Key(alerts(orgId), scope + "#" + period + "#" + String.format(Locale.ROOT, "%03d", threshold) + "#" + direction);
    }
    /** The marker that one e-mail (named by the notifier's dedupe key) was sent: its create-if-absent makes it go out once. */
    public static Key notificationSent(String dedupeKey) { return new Key("NOTIFICATION#" + dedupeKey, "NOTIFICATION"); }
}
