package com.enterpriseadmin.credit;

import com.enterpriseadmin.store.Ids;
import com.enterpriseadmin.store.Item;
import com.enterpriseadmin.store.Keys;
import com.enterpriseadmin.store.Tx;
import java.util.Map;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/** Mapping of the credit items: account, ledger entry, usage aggregate, hold (keys in {@link Keys}). */
final class CreditItems {
    static final String ACCOUNT = "ACCOUNT";
    static final String LEDGER = "LEDGER";
    static final String HOLD = "HOLD";

    static final String PURCHASED = "purchased";
    static final String CONSUMED = "consumed";
    static final String HELD = "held";
    static final String AVAILABLE = "available";
    static final String SEQ = "seq";
    /** The organization's own self-service top-up allowance (absent: the default; negative: unlimited). */
    static final String TOP_UP_ALLOWANCE = "topUpAllowance";
    /** Credits added by self-service top-ups so far (counted against the allowance). */
    static final String SELF_SERVICE_USED = "selfServiceToppedUp";
    /** On the account (lane 0): the lanes admissions use (absent: 1), and how many lane items exist (absent: 1; never fewer). */
    static final String LANES = "lanes";
    static final String LANE_ITEMS = "laneItems";
    /** On a lane: net credits moved into it by lane changes and rebalances (absent: 0; the sum over the lanes is 0). */
    static final String MOVED = "moved";
    /** On a lane item and a hold: the lane's index. */
    static final String LANE = "lane";
    static final String ACCOUNT_LANE = "ACCOUNT_LANE";
    static final String OPEN_HOLDS = "openHolds";
    static final String OPEN_HOLDS_TYPE = "OPEN_HOLDS";
    /** How much of a ledger entry was refunded or reversed ({@code ORG#{orgId} / REFUNDED#{entryId}}). */
    static final String REFUNDED = "refunded";
    static final String REFUNDED_TYPE = "REFUNDED";

    private CreditItems() {}

    static Account account(Map<String, AttributeValue> item) {
        return new Account(Item.num(item, PURCHASED), Item.num(item, CONSUMED), Item.num(item, HELD), Item.num(item, AVAILABLE));
    }

    static CreditStore.Allowance allowance(Map<String, AttributeValue> item) {
        return new CreditStore.Allowance(item.containsKey(TOP_UP_ALLOWANCE) ? java.util.Optional.of(Item.num(item, TOP_UP_ALLOWANCE))
                : java.util.Optional.empty(), Item.num(item, SELF_SERVICE_USED));
    }

    /** {@code {at}#{entryId}}: time order, then the id (the organization is the partition). */
    static String ledgerSortKey(LedgerEntry e) {
        return Keys.ledgerEntry("", Ids.at(e.at()), e.entryId()).sk();
    }

    static Map<String, AttributeValue> ledger(String orgId, LedgerEntry e) {
        return ledger(orgId, 0, e);
    }

    /** The entry in the ledger partition of account lane {@code lane} (lane 0: the organization's ledger; others also carry {@code lane}). */
    static Map<String, AttributeValue> ledger(String orgId, int lane, LedgerEntry e) {
        String at = Ids.at(e.at());
        Item item = Item.of(Keys.laneLedgerEntry(orgId, lane, at, e.entryId()), LEDGER)
                .s("orgId", orgId)
                .s("entryId", e.entryId())
                .s("at", at)
                .s("kind", e.kind().name())
                .n("amount", e.amount())
                .s("teamId", e.teamId())
                .s("userId", e.userId())
                .s("actor", e.actor())
                .s("holdId", e.holdId())
                .s("jobId", e.jobId())
                .s("description", e.description())
                .s("source", e.source() == null ? null : e.source().name())
                .s("reference", e.reference())
                .s("note", e.note())
                .s("periodKey", e.periodKey())
                .n("purchasedDelta", e.purchasedDelta())
                .n("consumedDelta", e.consumedDelta())
                .n("heldDelta", e.heldDelta())
                .n("teamConsumedDelta", e.teamConsumedDelta())
                .n("teamHeldDelta", e.teamHeldDelta());
        if (lane != 0) {
            item.n(LANE, lane);
        }
        if (e.teamId() != null) {
            item.s(Keys.GSI1PK, Keys.teamLedgerIndex(orgId, e.teamId())).s(Keys.GSI1SK, at + "#" + e.entryId());
        }
        if (e.refundable() || e.kind() == LedgerEntry.Kind.TOP_UP) {
            // Found by its id alone (GSI2), so that a refund or a reversal can name it.
            item.s(Keys.GSI2PK, Keys.ledgerEntryIndex(orgId, e.entryId())).s(Keys.GSI2SK, LEDGER);
        }
        return item.build();
    }

    static LedgerEntry ledger(Map<String, AttributeValue> item) {
        String source = Item.str(item, "source");
        return new LedgerEntry(
                Item.str(item, "entryId"),
                Item.time(item, "at"),
                LedgerEntry.Kind.valueOf(Item.str(item, "kind")),
                Item.num(item, "amount"),
                Item.str(item, "teamId"),
                Item.str(item, "userId"),
                Item.optStr(item, "actor").orElse(Item.str(item, "userId")),
                Item.str(item, "holdId"),
                Item.str(item, "jobId"),
                Item.str(item, "description"),
                source == null ? null : LedgerEntry.TopUpSource.valueOf(source),
                Item.str(item, "reference"),
                Item.str(item, "note"),
                Item.str(item, "periodKey"),
                Item.num(item, "purchasedDelta"),
                Item.num(item, "consumedDelta"),
                Item.num(item, "heldDelta"),
                Item.num(item, "teamConsumedDelta"),
                Item.num(item, "teamHeldDelta"));
    }

    static final String USAGE = "USAGE";

    /**
     * Adds {@code totals} to a usage aggregate, creating it on first use (its identity attributes and its
     * GSI1 key, for one member's own report, are set every time: they never change).
     */
    static Tx.Write addUsage(Tx tx, String orgId, UsageAggregates.Bucket b, UsageAggregates.Totals totals) {
        String grain = b.grain().name();
        return tx.update(Keys.usageItem(orgId, b.teamId(), grain, b.period(), b.userId()))
                .set("#consumed = if_not_exists(#consumed, :zero) + :consumed")
                .set("#consumptions = if_not_exists(#consumptions, :zero) + :consumptions")
                .set("#teamId = :teamId").set("#userId = :userId").set("#grain = :grain").set("#period = :period")
                .set("#gsi1pk = :gsi1pk").set("#gsi1sk = :gsi1sk").set("#type = :type")
                .name("#consumed", "consumed").name("#consumptions", "consumptions").name("#teamId", "teamId").name("#userId", "userId")
                .name("#grain", "grain").name("#period", "period").name("#gsi1pk", Keys.GSI1PK).name("#gsi1sk", Keys.GSI1SK).name("#type", Keys.TYPE)
                .value(":zero", 0).value(":consumed", totals.consumed()).value(":consumptions", totals.consumptions())
                .value(":teamId", b.teamId()).value(":userId", b.userId()).value(":grain", grain).value(":period", b.period())
                .value(":gsi1pk", Keys.memberUsageIndex(orgId, b.teamId(), b.userId())).value(":gsi1sk", grain + "#" + b.period())
                .value(":type", USAGE)
                .label("usage " + grain + " " + b.period() + " of " + b.userId());
    }

    static UsageAggregates.Stored usage(Map<String, AttributeValue> item) {
        return new UsageAggregates.Stored(new UsageAggregates.Bucket(Item.str(item, "teamId"), Item.str(item, "userId"),
                UsageAggregates.Grain.valueOf(Item.str(item, "grain")), Item.str(item, "period")),
                new UsageAggregates.Totals(Item.num(item, "consumed"), Item.num(item, "consumptions")));
    }

    static Map<String, AttributeValue> hold(Hold h) {
        return Item.of(Keys.hold(h.orgId(), h.holdId()), HOLD)
                .s("holdId", h.holdId())
                .s("orgId", h.orgId())
                .s("teamId", h.teamId())
                .s("userId", h.userId())
                .n("amount", h.amount())
                .s("status", h.status().name())
                .n("captured", h.captured())
                .time("createdAt", h.createdAt())
                .time("expiresAt", h.expiresAt())
                .n("expiresAtMs", h.expiresAt().toEpochMilli())
                .n(LANE, h.lane())
                .build();
    }

    static Hold hold(Map<String, AttributeValue> item) {
        return new Hold(
                Item.str(item, "holdId"),
                Item.str(item, "orgId"),
                Item.str(item, "teamId"),
                Item.str(item, "userId"),
                Item.num(item, "amount"),
                Hold.Status.valueOf(Item.str(item, "status")),
                Item.num(item, "captured"),
                Item.time(item, "createdAt"),
                Item.time(item, "expiresAt"),
                Item.time(item, "closedAt"),
                Item.str(item, "closeReason"),
                item.containsKey(LANE) ? (int) Item.num(item, LANE) : 0);
    }
}
